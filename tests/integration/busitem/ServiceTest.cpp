// Integration tests of busitem::Service itself against a private dbus-daemon and an independent
// client: batching without redundant signals (only the items set, added or removed since the last
// flush, in path order), item handles, typed SetValue, descriptions and on-change callbacks.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "BusClient.hpp"
#include "Process.hpp"
#include "LoopThread.hpp"
#include "Harness.hpp"
#include "busitem/Service.hpp"

using dbustest::BusClient;
using dbustest::LoopThread;
using testsupport::PrivateBus;
using namespace std::chrono_literals;

namespace {

constexpr const char* kTestName = "com.victronenergy.test.busitem_service";

}  // namespace

class BusItemServiceTest : public ::testing::Test {
protected:
    void TearDown() override {
        loop.run([&] { service.reset(); });
    }

    // The service with /A/Power (10 W) and /B (1), claimed.
    void start_two_items(busitem::Item& power, busitem::Item& b) {
        loop.run([&] {
            service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
            power = service->add("/A/Power", busitem::Value(10.0), busitem::format::watts());
            b = service->add("/B", busitem::Value(std::int32_t{1}));
            service->claim();
        });
    }

    // The signals since the last take are one PropertiesChanged of path, invalid (its item removed).
    void expect_one_invalidation(const std::string& path) {
        const auto signals = client.take_signals(kTestName);
        ASSERT_EQ(signals.size(), 1u);
        EXPECT_EQ(signals[0].member, "PropertiesChanged");
        EXPECT_EQ(signals[0].path, path);
        EXPECT_EQ(signals[0].body, (nlohmann::json{{"Value", nlohmann::json::array()}, {"Text", "---"}}));
    }

    PrivateBus private_bus{PrivateBus::Session::ThisProcess};
    LoopThread loop;
    BusClient client{private_bus.address()};
    std::unique_ptr<busitem::Service> service;
};

TEST_F(BusItemServiceTest, NothingIsSentWithoutChangesAndResettingAValueIsNoChange) {
    busitem::Item power, b;
    start_two_items(power, b);
    client.subscribe(kTestName);
    // What was declared before the name was claimed is read with GetItems, not signalled.
    loop.run([&] {
        service->flush_batch();
        service->flush();
    });
    EXPECT_TRUE(client.take_signals(kTestName).empty());

    loop.run([&] {
        power.set(busitem::Value(11.0));
        power.set(busitem::Value(10.0));  // back to what was sent
        b.set(busitem::Value(std::int32_t{1}));
        service->flush_batch();
        service->flush();
    });
    EXPECT_TRUE(client.take_signals(kTestName).empty());
}

// velib_python's two ways: a sample (its `with service as s:` block) is ONE ItemsChanged and no
// PropertiesChanged; a change outside a sample is one PropertiesChanged per item.
TEST_F(BusItemServiceTest, ABatchIsOneItemsChangedAndASingleChangeIsPropertiesChangedOnly) {
    busitem::Item power, b;
    start_two_items(power, b);
    client.subscribe(kTestName);
    loop.run([&] {
        power.set(busitem::Value(12.0));
        b.set(busitem::Value(std::int32_t{2}));
        service->flush_batch();
        service->flush_batch();
        service->flush();
    });
    auto batch = client.take_signals(kTestName);
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0].member, "ItemsChanged");
    EXPECT_EQ(batch[0].path, "/");
    EXPECT_EQ(batch[0].body, (nlohmann::json{{"/A/Power", {{"Value", 12.0}, {"Text", "12W"}}},
                                             {"/B", {{"Value", 2}, {"Text", "2"}}}}));

    busitem::Item late;
    loop.run([&] {
        b.set(busitem::Value(std::int32_t{3}));
        late = service->add("/Late", busitem::Value(std::string("x")));
        service->flush();
        service->flush();
        service->flush_batch();
    });
    auto single = client.take_signals(kTestName);
    ASSERT_EQ(single.size(), 2u);
    EXPECT_EQ(single[0].member, "PropertiesChanged");
    EXPECT_EQ(single[0].path, "/B");
    EXPECT_EQ(single[0].body, (nlohmann::json{{"Value", 3}, {"Text", "3"}}));
    EXPECT_EQ(single[1].member, "PropertiesChanged");
    EXPECT_EQ(single[1].path, "/Late");
    EXPECT_EQ(single[1].body, (nlohmann::json{{"Value", "x"}, {"Text", "x"}}));
}

TEST_F(BusItemServiceTest, SetValueConvertsNumbersRefusesStringsAndCallsOnChange) {
    int changes = 0;
    double last = 0;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        busitem::ItemOptions options;
        options.writable = true;
        options.text = busitem::format::watts();
        options.validate = [](const busitem::Value& value) { return std::get<double>(value) <= 5000; };
        options.on_change = [&](const busitem::Value& value) {
            ++changes;
            last = std::get<double>(value);
        };
        options.description = "limit";
        service->add("/Limit", busitem::Value(100.0), std::move(options));
        service->claim();
    });
    client.subscribe(kTestName);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 2000), 0);  // int32 accepted for a double item
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "PropertiesChanged");
    EXPECT_EQ(signals[0].path, "/Limit");
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"Value", 2000.0}, {"Text", "2000W"}}));
    auto value = client.get_value(kTestName, "/Limit");
    EXPECT_EQ(value.type, "d");
    EXPECT_DOUBLE_EQ(value.value.get<double>(), 2000.0);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 9000), 2);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", "2000"), 1);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 2000), 0);  // same value: no second change
    EXPECT_EQ(loop.run([&] { return changes; }), 1);
    EXPECT_DOUBLE_EQ(loop.run([&] { return last; }), 2000.0);
    EXPECT_EQ(client.get_text(kTestName, "/Limit"), "2000W");
    EXPECT_EQ(client.call_error(kTestName, "/", "SetValue"), "org.freedesktop.DBus.Error.UnknownMethod");
}

TEST_F(BusItemServiceTest, ARemovedItemIsSentOnceAsInvalidAndItsHandleEmpties) {
    busitem::Item power, b;
    start_two_items(power, b);
    EXPECT_EQ(loop.run([&] { return power.path(); }), "/A/Power");
    EXPECT_EQ(loop.run([&] { return power.text(); }), "10W");
    client.subscribe(kTestName);
    loop.run([&] {
        service->remove(power);
        service->flush_batch();
        service->flush_batch();
    });
    EXPECT_FALSE(loop.run([&] { return static_cast<bool>(power); }));
    EXPECT_THROW(loop.run([&] { power.set(busitem::Value(1.0)); }), std::logic_error);
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "ItemsChanged");
    EXPECT_EQ(signals[0].body["/A/Power"]["Text"], "---");
    EXPECT_EQ(client.call_error(kTestName, "/A/Power", "GetValue"), "org.freedesktop.DBus.Error.UnknownObject");

    // Outside a sample the removal is the item's own PropertiesChanged, as velib sends it.
    loop.run([&] {
        service->remove(b);
        service->flush();
        service->flush();
    });
    expect_one_invalidation("/B");
}

// SetValue as dbus-send (another client than ours) sends it, bare and in a variant, with every
// integer type D-Bus has: the same conversion and checks either way.
TEST_F(BusItemServiceTest, SetValueTakesBareValuesAndVariants) {
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        busitem::ItemOptions count;
        count.writable = true;
        count.validate = [](const busitem::Value& value) { return std::get<std::int32_t>(value) >= 0; };
        service->add("/Count", busitem::Value(std::int32_t{0}), std::move(count));
        busitem::ItemOptions name;
        name.writable = true;
        service->add("/Name", busitem::Value(std::string("a")), std::move(name));
        service->claim();
    });
    auto send = [&](const std::string& path, const std::string& argument) {
        testsupport::Process sender({"dbus-send", "--bus=" + private_bus.address(), "--print-reply",
                                     std::string("--dest=") + kTestName, path, "com.victronenergy.BusItem.SetValue",
                                     argument});
        if (sender.wait_exit(10s) != 0) return -1;
        auto result = sender.wait_for_match(R"(int32 (-?\d+))", 1s);
        return result ? std::stoi(*result) : -1;
    };
    const std::vector<std::pair<std::string, int>> counts = {
        {"int32:5", 5},   {"variant:int32:6", 6},   {"uint32:7", 7},   {"variant:uint32:8", 8},
        {"int64:9", 9},   {"variant:int64:10", 10}, {"byte:11", 11},   {"variant:int16:12", 12},
        {"double:13", 13}, {"variant:double:14", 14}, {"uint16:15", 15}, {"variant:uint64:16", 16}};
    for (const auto& [argument, expected] : counts) {
        SCOPED_TRACE(argument);
        EXPECT_EQ(send("/Count", argument), 0);
        EXPECT_EQ(client.get_value(kTestName, "/Count").value, expected);
    }
    EXPECT_EQ(send("/Count", "int32:-1"), 2);
    EXPECT_EQ(send("/Count", "variant:int32:-1"), 2);
    EXPECT_EQ(send("/Count", "double:1.5"), 1);
    EXPECT_EQ(send("/Count", "int64:4294967296"), 1);
    EXPECT_EQ(send("/Count", "string:3"), 1);
    EXPECT_EQ(send("/Count", "variant:string:3"), 1);
    EXPECT_EQ(client.get_value(kTestName, "/Count").value, 16);
    EXPECT_EQ(send("/Name", "string:bare"), 0);
    EXPECT_EQ(client.get_value(kTestName, "/Name").value, "bare");
    EXPECT_EQ(send("/Name", "variant:string:wrapped"), 0);
    EXPECT_EQ(client.get_value(kTestName, "/Name").value, "wrapped");
    EXPECT_EQ(send("/Name", "int32:1"), 1);
}

// on_write runs for every accepted SetValue, a new value or the same again, and may set what the
// item shows instead of what was written; on_change only for a new value.
TEST_F(BusItemServiceTest, OnWriteSeesEveryAcceptedWriteAndMaySetWhatIsShown) {
    std::vector<double> writes;
    int changes = 0;
    busitem::Item limit;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        busitem::ItemOptions options;
        options.writable = true;
        options.type = 'd';
        options.on_change = [&changes](const busitem::Value&) { ++changes; };
        options.on_write = [&](const busitem::Value& value) {
            writes.push_back(std::get<double>(value));
            limit.set(busitem::Value(3000.0));
        };
        limit = service->add("/Limit", busitem::Value(3000.0), std::move(options));
        service->claim();
    });
    client.subscribe(kTestName);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 500), 0);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 500), 0);
    EXPECT_EQ(client.set_value(kTestName, "/Limit", std::string("x")), 1);
    EXPECT_EQ(loop.run([&] { return writes; }), (std::vector<double>{500, 500}));
    EXPECT_EQ(loop.run([&] { return changes; }), 2);
    EXPECT_DOUBLE_EQ(client.get_value(kTestName, "/Limit").value.get<double>(), 3000.0);
    EXPECT_TRUE(client.take_signals(kTestName).empty());
}

// A flush looks only at the items set since the last one: an item set to a new value and back
// before the flush is not signalled, while the others set in that sample are.
TEST_F(BusItemServiceTest, AnItemSetAndSetBackBeforeTheFlushIsNotSignalled) {
    busitem::Item power, b;
    start_two_items(power, b);
    client.subscribe(kTestName);
    loop.run([&] {
        power.set(busitem::Value(11.0));
        b.set(busitem::Value(std::int32_t{5}));
        power.set(busitem::Value(10.0));
        service->flush_batch();
    });
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/B", {{"Value", 5}, {"Text", "5"}}}}));

    // A value set back to what was sent after being signalled is a change again.
    loop.run([&] {
        b.set(busitem::Value(std::int32_t{1}));
        service->flush();
        service->flush();
    });
    signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "PropertiesChanged");
    EXPECT_EQ(signals[0].path, "/B");
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"Value", 1}, {"Text", "1"}}));
}

TEST_F(BusItemServiceTest, AnItemRemovedAfterBeingSetIsSentOnceAsInvalidOnly) {
    busitem::Item power, b;
    start_two_items(power, b);
    client.subscribe(kTestName);
    loop.run([&] {
        power.set(busitem::Value(20.0));
        b.set(busitem::Value(std::int32_t{2}));
        service->remove(power);
        service->flush_batch();
        service->flush_batch();
    });
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "ItemsChanged");
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/A/Power", {{"Value", nlohmann::json::array()}, {"Text", "---"}}},
                                               {"/B", {{"Value", 2}, {"Text", "2"}}}}));
    EXPECT_EQ(signals[0].keys, (std::vector<std::string>{"/B", "/A/Power"}));  // changes, then removals

    loop.run([&] {
        b.set(busitem::Value(std::int32_t{3}));
        service->remove(b);
        service->flush();
        service->flush_batch();
    });
    expect_one_invalidation("/B");
}

TEST_F(BusItemServiceTest, AnItemAddedAfterClaimIsSentOnceAndThenLikeTheOthers) {
    busitem::Item power, b, late;
    start_two_items(power, b);
    client.subscribe(kTestName);
    loop.run([&] {
        late = service->add("/Late", busitem::Value(std::int32_t{7}));
        late.set(busitem::Value(std::int32_t{8}));
        service->flush_batch();
        service->flush_batch();
        service->flush();
    });
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/Late", {{"Value", 8}, {"Text", "8"}}}}));

    // Set to what it shows: nothing; to something else: sent.
    loop.run([&] {
        late.set(busitem::Value(std::int32_t{8}));
        service->flush_batch();
        late.set(busitem::Value(std::int32_t{9}));
        service->flush_batch();
    });
    signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/Late", {{"Value", 9}, {"Text", "9"}}}}));

    // Declared again (after a set, or after its removal): sent once, with what it holds now.
    loop.run([&] {
        b.set(busitem::Value(std::int32_t{4}));
        b = service->add("/B", busitem::Value(std::int32_t{5}));
        service->remove(late);
        late = service->add("/Late", busitem::Value(std::string("back")));
        service->flush_batch();
        service->flush_batch();
    });
    signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/B", {{"Value", 5}, {"Text", "5"}}},
                                               {"/Late", {{"Value", "back"}, {"Text", "back"}}}}));
    EXPECT_EQ(signals[0].keys, (std::vector<std::string>{"/B", "/Late"}));
}

// Whatever order a sample sets its items in, ItemsChanged lists them in path order, and every
// batch is a complete signal of its own (each built from the same prepared header).
TEST_F(BusItemServiceTest, ItemsChangedListsTheItemsInPathOrder) {
    const std::vector<std::string> paths = {"/Ac/L1/Power", "/Ac/L2/Power", "/Ac/Power", "/B", "/Ac/L1/Voltage",
                                            "/Z", "/Ac/L3/Power", "/A"};
    std::vector<busitem::Item> items;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        for (const auto& path : paths) items.push_back(service->add(path, busitem::Value(0.0), busitem::format::watts()));
        service->claim();
    });
    client.subscribe(kTestName);
    loop.run([&] {
        for (std::size_t i = items.size(); i-- > 0;) items[i].set(busitem::Value(static_cast<double>(i + 1)));
        service->flush_batch();
        items[5].set(busitem::Value(-1.0));
        items[0].set(busitem::Value(-2.0));
        items[3].set(busitem::Value(-3.0));
        service->flush_batch();
    });
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 2u);
    std::vector<std::string> sorted = paths;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& signal : signals) {
        EXPECT_EQ(signal.member, "ItemsChanged");
        EXPECT_EQ(signal.path, "/");
        EXPECT_EQ(signal.signature, "a{sa{sv}}");
    }
    EXPECT_EQ(signals[0].keys, sorted);
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const double value = static_cast<double>(i + 1);
        EXPECT_EQ(signals[0].body[paths[i]], (nlohmann::json{{"Value", value}, {"Text", std::to_string(i + 1) + "W"}}));
    }
    EXPECT_EQ(signals[1].keys, (std::vector<std::string>{"/Ac/L1/Power", "/B", "/Z"}));
    EXPECT_EQ(signals[1].body, (nlohmann::json{{"/Ac/L1/Power", {{"Value", -2.0}, {"Text", "-2W"}}},
                                               {"/B", {{"Value", -3.0}, {"Text", "-3W"}}},
                                               {"/Z", {{"Value", -1.0}, {"Text", "-1W"}}}}));
}

// A SetValue lists its item like Item::set: the change is sent (once) even when a sample's
// flush_batch() comes first.
TEST_F(BusItemServiceTest, ASetValueIsSentByTheNextFlushOfEitherKind) {
    busitem::Item count;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        busitem::ItemOptions options;
        options.writable = true;
        options.on_write = [&](const busitem::Value&) { service->flush_batch(); };
        count = service->add("/Count", busitem::Value(std::int32_t{0}), std::move(options));
        service->claim();
    });
    client.subscribe(kTestName);
    EXPECT_EQ(client.set_value(kTestName, "/Count", 4), 0);
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "ItemsChanged");
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/Count", {{"Value", 4}, {"Text", "4"}}}}));
}
