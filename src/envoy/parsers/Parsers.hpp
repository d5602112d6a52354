// envoy/parsers: umbrella header of the pure gateway parsers (bytes -> model values, no I/O).
#pragma once

#include "envoy/parsers/Info.hpp"
#include "envoy/parsers/InstallerPassword.hpp"
#include "envoy/parsers/Inventory.hpp"
#include "envoy/parsers/Jwt.hpp"
#include "envoy/parsers/MeterSemantics.hpp"
#include "envoy/parsers/Meters.hpp"
#include "envoy/parsers/ParseError.hpp"
#include "envoy/parsers/Production.hpp"
#include "envoy/parsers/Stream.hpp"
