// envoy/parsers: Server-Sent Events framing of /stream/meter (the events' JSON: StreamEvent.cpp).
#include "envoy/parsers/Stream.hpp"

#include "envoy/parsers/ParseError.hpp"

namespace envoy::parse {

StreamDecoder::StreamDecoder(std::size_t max_event_bytes) : max_bytes_(max_event_bytes) {
    line_.reserve(256);
    data_.reserve(1024);
}

void StreamDecoder::reset() {
    line_.clear();
    data_.clear();
    has_data_ = false;
    delivered_ = false;
    after_cr_ = false;
    skipping_ = false;
}

void StreamDecoder::check_size(std::size_t buffered, std::size_t extra) {
    if (buffered + extra > max_bytes_) {
        reset();
        skipping_ = true;  // the rest of the oversize event is dropped up to its blank line
        throw ParseError("/stream/meter: event larger than " + std::to_string(max_bytes_) + " bytes");
    }
}

void StreamDecoder::append_line(std::string_view part) {
    if (skipping_) {
        if (line_.empty() && !part.empty()) line_.push_back(part.front());  // only "not blank" matters
        return;
    }
    check_size(line_.size(), part.size());
    line_.append(part);
}

void StreamDecoder::line_complete(std::string_view line, bool& dispatch) {
    if (line.empty()) {
        dispatch = has_data_ && !skipping_;
        skipping_ = false;
        if (!dispatch) {
            data_.clear();
            has_data_ = false;
        }
        return;
    }
    if (skipping_ || line.front() == ':') return;  // comment
    const auto colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    if (field != "data") return;      // event, id, retry and unknown fields are not used
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    check_size(data_.size(), value.size() + 1);
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
}

std::optional<std::string_view> StreamDecoder::next(std::string_view& chunk) {
    if (delivered_) {
        data_.clear();
        has_data_ = false;
        delivered_ = false;
    }
    while (!chunk.empty()) {
        if (after_cr_) {
            after_cr_ = false;
            if (chunk.front() == '\n') {
                chunk.remove_prefix(1);
                continue;
            }
        }
        const auto end = chunk.find_first_of("\r\n");
        if (end == std::string_view::npos) {
            append_line(chunk);
            chunk = {};
            break;
        }
        after_cr_ = chunk[end] == '\r';
        bool dispatch = false;
        if (line_.empty()) {
            line_complete(chunk.substr(0, end), dispatch);
        } else {
            append_line(chunk.substr(0, end));
            line_complete(line_, dispatch);
            line_.clear();
        }
        chunk.remove_prefix(end + 1);
        if (dispatch) {
            delivered_ = true;
            return std::string_view(data_);
        }
    }
    return std::nullopt;
}

}  // namespace envoy::parse
