// tests/unit/parsers: asserting that a parser throws ParseError with a message naming the problem.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "envoy/parsers/ParseError.hpp"

// Runs the statement, expects envoy::parse::ParseError whose message contains every given text.
#define EXPECT_PARSE_ERROR(statement, ...)                                                  \
    do {                                                                                    \
        try {                                                                               \
            statement;                                                                      \
            ADD_FAILURE() << "expected ParseError from: " #statement;                      \
        } catch (const envoy::parse::ParseError& error__) {                                 \
            for (const std::string& part__ : {__VA_ARGS__}) {                               \
                EXPECT_NE(std::string(error__.what()).find(part__), std::string::npos)     \
                    << "message \"" << error__.what() << "\" lacks \"" << part__ << "\""; \
            }                                                                               \
        }                                                                                   \
    } while (false)
