// Integration tests of venus::Service itself: batching without redundant signals, typed
// SetValue, descriptions and on-change callbacks.
#include "VenusFixture.hpp"
#include "venus/Service.hpp"

using namespace venustest;

namespace {

constexpr const char* kTestName = "com.victronenergy.test.venus_service";

}  // namespace

class VenusServiceTest : public VenusTest {
protected:
    void TearDown() override {
        loop.run([&] { service.reset(); });
        VenusTest::TearDown();
    }
    std::unique_ptr<venus::Service> service;
};

TEST_F(VenusServiceTest, FlushWithoutChangesSendsNothingAndResettingAValueIsNoChange) {
    loop.run([&] {
        service = std::make_unique<venus::Service>(loop.loop(), kTestName);
        service->add("/A/Power", venus::Value(10.0), venus::format::watts());
        service->add("/B", venus::Value(std::int32_t{1}));
        service->claim();
        service->flush();
    });
    client.subscribe(kTestName);
    loop.run([&] { service->flush(); });
    EXPECT_TRUE(client.take_signals(kTestName).empty());

    loop.run([&] {
        service->set("/A/Power", venus::Value(11.0));
        service->set("/A/Power", venus::Value(10.0));  // back to what was sent
        service->set("/B", venus::Value(std::int32_t{1}));
        service->flush();
    });
    EXPECT_TRUE(client.take_signals(kTestName).empty());

    loop.run([&] {
        service->set("/B", venus::Value(std::int32_t{2}));
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

TEST_F(VenusServiceTest, SetValueConvertsNumbersRefusesStringsAndCallsOnChange) {
    int changes = 0;
    double last = 0;
    loop.run([&] {
        service = std::make_unique<venus::Service>(loop.loop(), kTestName);
        venus::ItemOptions options;
        options.writable = true;
        options.text = venus::format::watts();
        options.validate = [](const venus::Value& value) { return std::get<double>(value) <= 5000; };
        options.on_change = [&](const venus::Value& value) {
            ++changes;
            last = std::get<double>(value);
        };
        options.description = "limit";
        service->add("/Limit", venus::Value(100.0), std::move(options));
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
