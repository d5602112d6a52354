// model: names of the enumerations, for logs and D-Bus texts.
#include "model/Snapshot.hpp"

namespace model {

std::string_view to_string(Source source) {
    switch (source) {
        case Source::Stream: return "stream";
        case Source::Readings: return "readings";
        case Source::ProductionJson: return "production.json";
        case Source::Inverters: return "inverters";
        case Source::None: break;
    }
    return "none";
}

}  // namespace model
