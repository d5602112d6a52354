// Integration tests of busitem::Service itself against a private dbus-daemon and an independent
// client: batching without redundant signals, item handles, typed SetValue, descriptions and
// on-change callbacks.
#include <gtest/gtest.h>

#include <memory>

#include "BusClient.hpp"
#include "LoopThread.hpp"
#include "Harness.hpp"
#include "busitem/Service.hpp"

using dbustest::BusClient;
using dbustest::LoopThread;
using testsupport::PrivateBus;

namespace {

constexpr const char* kTestName = "com.victronenergy.test.busitem_service";

}  // namespace

class BusItemServiceTest : public ::testing::Test {
protected:
    void TearDown() override {
        loop.run([&] { service.reset(); });
    }

    PrivateBus private_bus{PrivateBus::Session::ThisProcess};
    LoopThread loop;
    BusClient client{private_bus.address()};
    std::unique_ptr<busitem::Service> service;
};

TEST_F(BusItemServiceTest, FlushWithoutChangesSendsNothingAndResettingAValueIsNoChange) {
    busitem::Item power, b;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        power = service->add("/A/Power", busitem::Value(10.0), busitem::format::watts());
        b = service->add("/B", busitem::Value(std::int32_t{1}));
        service->claim();
        service->flush();
    });
    client.subscribe(kTestName);
    loop.run([&] { service->flush(); });
    EXPECT_TRUE(client.take_signals(kTestName).empty());

    loop.run([&] {
        power.set(busitem::Value(11.0));
        power.set(busitem::Value(10.0));  // back to what was sent
        b.set(busitem::Value(std::int32_t{1}));
        service->flush();
    });
    EXPECT_TRUE(client.take_signals(kTestName).empty());

    loop.run([&] {
        b.set(busitem::Value(std::int32_t{2}));
        service->flush();
        service->flush();
    });
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 2u);
    EXPECT_EQ(signals[0].member, "ItemsChanged");
    EXPECT_EQ(signals[0].body, (nlohmann::json{{"/B", {{"Value", 2}, {"Text", "2"}}}}));
    EXPECT_EQ(signals[1].member, "PropertiesChanged");
    EXPECT_EQ(signals[1].path, "/B");
    EXPECT_EQ(signals[1].body, (nlohmann::json{{"Value", 2}, {"Text", "2"}}));
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
    EXPECT_EQ(client.set_value(kTestName, "/Limit", 2000), 0);  // int32 accepted for a double item
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
    busitem::Item power;
    loop.run([&] {
        service = std::make_unique<busitem::Service>(loop.loop(), kTestName);
        power = service->add("/A/Power", busitem::Value(10.0), busitem::format::watts());
        service->add("/B", busitem::Value(std::int32_t{1}));
        service->claim();
        service->flush();
    });
    EXPECT_EQ(loop.run([&] { return power.path(); }), "/A/Power");
    EXPECT_EQ(loop.run([&] { return power.text(); }), "10W");
    client.subscribe(kTestName);
    loop.run([&] {
        service->remove(power);
        service->flush();
        service->flush();
    });
    EXPECT_FALSE(loop.run([&] { return static_cast<bool>(power); }));
    EXPECT_THROW(loop.run([&] { power.set(busitem::Value(1.0)); }), std::logic_error);
    auto signals = client.take_signals(kTestName);
    ASSERT_EQ(signals.size(), 1u);
    EXPECT_EQ(signals[0].member, "ItemsChanged");
    EXPECT_EQ(signals[0].body["/A/Power"]["Text"], "---");
    EXPECT_EQ(client.call_error(kTestName, "/A/Power", "GetValue"), "org.freedesktop.DBus.Error.UnknownObject");
}
