// Unit: energy::Store in a temporary directory — the larger copy wins, atomic saves, bad files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "Process.hpp"
#include "energy/Store.hpp"

using energy::Store;
using energy::Totals;
using testsupport::TempDir;

namespace {

void write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

}  // namespace

TEST(Store, NothingSavedYetIsEmpty) {
    TempDir dir;
    Store store(dir.file("state"), dir.file("run"));
    EXPECT_TRUE(store.load().empty());
}

TEST(Store, SavesCreateTheFoldersAndLoadBack) {
    TempDir dir;
    Store store(dir.file("state/a"), dir.file("run/b"));
    Totals totals{{"pv.total.forward", 12.25}, {"grid.total.reverse", 3.5}};
    ASSERT_TRUE(store.save_volatile(totals));
    EXPECT_TRUE(std::filesystem::exists(store.volatile_file()));
    EXPECT_FALSE(std::filesystem::exists(store.state_file()));
    EXPECT_EQ(Store(dir.file("state/a"), dir.file("run/b")).load(), totals);
    ASSERT_TRUE(store.save_state(totals));
    EXPECT_EQ(Store(dir.file("state/a"), dir.file("elsewhere")).load(), totals);
    // No temporary files are left behind.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("run/b"))) files += entry.is_regular_file();
    EXPECT_EQ(files, 1);
}

TEST(Store, TakesTheLargerValueOfTheTwoCopies) {
    TempDir dir;
    Store store(dir.file("state"), dir.file("run"));
    write(store.state_file(), "pv.total.forward 10\ngrid.total.forward 5\nconsumption.total.forward 1\n");
    write(store.volatile_file(), "pv.total.forward 12\ngrid.total.forward 4\ngrid.total.reverse 2\n");
    EXPECT_EQ(store.load(), (Totals{{"pv.total.forward", 12.0}, {"grid.total.forward", 5.0}, {"consumption.total.forward", 1.0},
                                    {"grid.total.reverse", 2.0}}));
}

TEST(Store, CorruptLinesAreIgnoredAndTheOtherCopyStillCounts) {
    TempDir dir;
    Store store(dir.file("state"), dir.file("run"));
    write(store.state_file(), "pv.total.forward 10\n");
    write(store.volatile_file(), "pv.total.forward \x01\x02garbage\n");
    EXPECT_EQ(store.load(), (Totals{{"pv.total.forward", 10.0}}));
}

TEST(Store, UnwritableFolderFailsWithoutThrowing) {
    TempDir dir;
    write(dir.file("blocker"), "a file, not a folder");
    Store store(dir.file("state"), dir.file("blocker/run"));
    EXPECT_FALSE(store.save_volatile({{"pv.total.forward", 1.0}}));
    EXPECT_FALSE(store.save_volatile({{"pv.total.forward", 2.0}}));
    EXPECT_TRUE(store.save_state({{"pv.total.forward", 2.0}}));
    EXPECT_EQ(store.load(), (Totals{{"pv.total.forward", 2.0}}));
}
