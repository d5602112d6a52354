// Unit: energy counter file format — round trip and rejection of bad lines.
#include <gtest/gtest.h>

#include "energy/CounterFile.hpp"

using energy::Totals;

TEST(CounterFile, RoundTripsExactly) {
    Totals totals{{"pv.total.forward", 1243.812228123456}, {"grid.L1.reverse", 0.1}, {"consumption.L3.forward", 0.0}};
    std::vector<std::string> problems;
    EXPECT_EQ(energy::parse_counters(energy::format_counters(totals), problems), totals);
    EXPECT_TRUE(problems.empty());
}

TEST(CounterFile, BadLinesAreSkippedAndNamed) {
    std::vector<std::string> problems;
    auto totals = energy::parse_counters("# comment\npv.total.forward 12.5\r\nbroken\ngrid.total.forward -3\n"
                                         "grid.total.reverse nan\ngrid.L1.forward 1.5x\n\n  consumption.total.forward\t7 \n",
                                         problems);
    EXPECT_EQ(totals, (Totals{{"pv.total.forward", 12.5}, {"consumption.total.forward", 7.0}}));
    ASSERT_EQ(problems.size(), 4u);
    EXPECT_EQ(problems[0], "line 3: expected a name and a value");
    EXPECT_EQ(problems[1], "line 4: grid.total.forward: '-3' is not a number of kWh >= 0");
    EXPECT_EQ(problems[2], "line 5: grid.total.reverse: 'nan' is not a number of kWh >= 0");
    EXPECT_EQ(problems[3], "line 6: grid.L1.forward: '1.5x' is not a number of kWh >= 0");
}
