// tests/unit/util: atomic writes leave the whole file or the old one, with the mode asked for,
// and remove_stale_temporaries() clears what an interrupted write left behind.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "Process.hpp"
#include "util/AtomicFile.hpp"

namespace {

TEST(AtomicFile, WritesWithTheModeAndLeavesNoTemporary) {
    testsupport::TempDir dir;
    const std::string path = dir.file("token.cache");
    ASSERT_EQ(util::write_atomic(path, "one\n", 0600), std::nullopt);
    ASSERT_EQ(util::write_atomic(path, "two\n", 0600), std::nullopt);
    EXPECT_EQ(util::read_whole_file(path), "two\n");
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
    EXPECT_NE(util::write_atomic(dir.file("missing/x"), "x"), std::nullopt);
}

TEST(AtomicFile, StaleTemporariesOfThatFileAreRemoved) {
    testsupport::TempDir dir;
    const std::string path = dir.file("energy.json");
    testsupport::write_file(path, "saved");
    testsupport::write_file(path + ".tmp-Ab3xYz", "half written");  // a power cut during a write
    testsupport::write_file(path + ".tmp-Qq9rTt", "another");
    testsupport::write_file(dir.file("other.json.tmp-Ab3xYz"), "not ours");
    testsupport::write_file(path + ".tmp-seven77", "not a temporary of ours");
    EXPECT_EQ(util::remove_stale_temporaries(path), 2);
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp-Ab3xYz"));
    EXPECT_TRUE(std::filesystem::exists(dir.file("other.json.tmp-Ab3xYz")));
    EXPECT_TRUE(std::filesystem::exists(path + ".tmp-seven77"));
    EXPECT_EQ(util::remove_stale_temporaries(dir.file("absent/file")), 0);
}

}  // namespace
