// Unit tests of busitem/Value: D-Bus type codes, invalid measurements and GetText formatting.
#include <gtest/gtest.h>

#include <cmath>

#include "busitem/Value.hpp"

using namespace busitem;

TEST(BusItemValue, TypeCodesFollowTheCppType) {
    EXPECT_EQ(type_code(Value(std::int32_t{3})), 'i');
    EXPECT_EQ(type_code(Value(3.5)), 'd');
    EXPECT_EQ(type_code(Value(std::string("x"))), 's');
    EXPECT_EQ(type_code(Value()), 0);
    EXPECT_FALSE(is_valid(Value()));
}

TEST(BusItemValue, MeasurementIsInvalidWhenUnknownOrNotFinite) {
    EXPECT_FALSE(is_valid(measurement(std::nullopt)));
    EXPECT_FALSE(is_valid(measurement(std::nan(""))));
    EXPECT_FALSE(is_valid(measurement(INFINITY)));
    EXPECT_EQ(measurement(12.5), Value(12.5));
}

TEST(BusItemValue, UnitFormattersUseDocumentedDecimals) {
    EXPECT_EQ(format::watts()(Value(1234.4)), "1234W");
    EXPECT_EQ(format::watts()(Value(-0.3)), "0W");
    EXPECT_EQ(format::amps()(Value(5.23)), "5.2A");
    EXPECT_EQ(format::volts()(Value(230.14)), "230.1V");
    EXPECT_EQ(format::hertz()(Value(50.012)), "50.01Hz");
    EXPECT_EQ(format::kwh()(Value(12.341)), "12.34kWh");
    EXPECT_EQ(format::power_factor()(Value(0.984)), "0.98");
    EXPECT_EQ(format::watts()(Value(std::int32_t{800})), "800W");
}

TEST(BusItemValue, PlainHexAndNames) {
    EXPECT_EQ(format::plain(Value(std::int32_t{-7})), "-7");
    EXPECT_EQ(format::plain(Value(std::string("Enphase Envoy"))), "Enphase Envoy");
    EXPECT_EQ(format::hex()(Value(std::int32_t{0xFFFF})), "0xFFFF");
    auto names = format::names([](int code) -> const char* { return code == 7 ? "Running" : nullptr; });
    EXPECT_EQ(names(Value(std::int32_t{7})), "Running");
    EXPECT_EQ(names(Value(std::int32_t{9})), "9");
}
