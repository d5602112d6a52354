// tests/unit/util: util::is_utf8 and util::valid_utf8 on the byte sequences RFC 3629 allows and
// refuses (what libdbus would abort on).
#include <gtest/gtest.h>

#include "util/Utf8.hpp"

namespace {

TEST(Utf8, WellFormedTextIsKept) {
    for (const std::string text : {"", "122035000000", "D\xc3\xa4" "cher", "9 of 10 \xe2\x9a\xa1", "\xf0\x9f\x94\x8b",
                                   "\xef\xbf\xbd"}) {
        EXPECT_TRUE(util::is_utf8(text)) << text;
        EXPECT_EQ(util::valid_utf8(text), text);
    }
}

TEST(Utf8, EveryBadByteBecomesOneReplacementCharacter) {
    const std::string replacement = "\xef\xbf\xbd";
    const std::pair<std::string, std::string> cases[] = {
        {"12\xff\xfe" "34", "12" + replacement + replacement + "34"},   // not UTF-8 at all
        {"\xc0\xaf", replacement + replacement},                        // overlong '/'
        {"\xed\xa0\x80", replacement + replacement + replacement},      // a surrogate
        {"\xf4\x90\x80\x80", replacement + replacement + replacement + replacement},  // above U+10FFFF
        {"ab\xe2\x9a", "ab" + replacement + replacement},               // cut short
        {std::string("a\0b", 3), "a" + replacement + "b"},              // NUL
    };
    for (const auto& [bad, repaired] : cases) {
        EXPECT_FALSE(util::is_utf8(bad));
        EXPECT_EQ(util::valid_utf8(bad), repaired);
        EXPECT_TRUE(util::is_utf8(util::valid_utf8(bad)));
    }
}

}  // namespace
