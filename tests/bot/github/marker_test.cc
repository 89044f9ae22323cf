#include "bot/github/marker.h"

#include <doctest/doctest.h>

namespace triage {
namespace {

Marker Sample() {
  Marker m;
  m.kind = MarkerKind::kEvidence;
  m.key = "ccd44d2a28159e47";
  m.fingerprints = {"aaaa", "ccd44d2a28159e47"};
  m.watermark_us = 1757903586922445LL;  // 2025-09-15T02:33:06.922445Z
  m.priority = 2;
  m.run_id = "12345-1";
  return m;
}

TEST_CASE("marker: formats as one hidden line and reads back") {
  std::string text = FormatMarker(Sample());
  CHECK(text ==
        "<!-- gcp-log-gardener:v1 {\"fingerprints\":[\"aaaa\",\"ccd44d2a28159e47\"],"
        "\"key\":\"ccd44d2a28159e47\",\"kind\":\"evidence\",\"priority\":2,\"run\":\"12345-1\","
        "\"watermark\":\"2025-09-15T02:33:06.922445Z\"} -->");
  auto back = ParseMarker("Some evidence.\n\n" + text + "\n");
  REQUIRE(back);
  CHECK(back->kind == MarkerKind::kEvidence);
  CHECK(back->key == "ccd44d2a28159e47");
  CHECK(back->fingerprints == std::vector<std::string>{"aaaa", "ccd44d2a28159e47"});
  CHECK(back->watermark_us == 1757903586922445LL);
  CHECK(back->priority == 2);
  CHECK(back->run_id == "12345-1");
  CHECK(back->evidence_id == 0);

  Marker with_evidence = Sample();
  with_evidence.evidence_id = 987654321012LL;
  with_evidence.evidence_at_us = 1757903586000000LL;
  auto again = ParseMarker(FormatMarker(with_evidence));
  REQUIRE(again);
  CHECK(again->evidence_id == 987654321012LL);
  CHECK(again->evidence_at_us == 1757903586000000LL);
  CHECK_FALSE(ParseMarker("<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\","
                          "\"evidence\":{\"id\":\"x\"}} -->"));
}

TEST_CASE("marker: command state, the dashboard's window end and refusals read back") {
  Marker m = Sample();
  m.kind = MarkerKind::kReply;
  m.muted = true;
  m.pinned = false;
  m.refused = "mallory[bot]";
  auto back = ParseMarker(FormatMarker(m));
  REQUIRE(back);
  CHECK(back->kind == MarkerKind::kReply);
  CHECK(back->muted == std::optional<bool>(true));
  CHECK(back->pinned == std::optional<bool>(false));
  CHECK(back->refused == "mallory[bot]");
  auto plain = ParseMarker(FormatMarker(Sample()));
  REQUIRE(plain);
  CHECK_FALSE(plain->muted.has_value());
  CHECK_FALSE(plain->pinned.has_value());

  Marker d;
  d.kind = MarkerKind::kDashboard;
  d.key = "dashboard";
  d.window_end_us = 1757903586000000LL;
  auto dash = ParseMarker(FormatMarker(d));
  REQUIRE(dash);
  CHECK(dash->kind == MarkerKind::kDashboard);
  CHECK(dash->window_end_us == 1757903586000000LL);
  // Wrong types make the marker not well-formed.
  for (const char* bad : {R"("muted":"yes")", R"("window_end":"soon")", R"("refused":"a b")",
                          R"("refused":"x-->")"}) {
    INFO(bad);
    CHECK_FALSE(ParseMarker(std::string("<!-- gcp-log-gardener:v1 {\"kind\":\"reply\",\"key\":\"k\",") +
                            bad + "} -->"));
  }
  // A login that could close the comment is never written.
  Marker hostile = Sample();
  hostile.refused = "a-->b";
  CHECK(FormatMarker(hostile).find("refused") == std::string::npos);
}

TEST_CASE("marker: the last well-formed marker counts; forged or broken ones do not") {
  Marker older = Sample();
  older.priority = 3;
  std::string two = FormatMarker(older) + "\n" + FormatMarker(Sample());
  CHECK(ParseMarker(two)->priority == 2);
  const char* broken[] = {
      "no marker here",
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\"",            // unclosed
      "<!-- gcp-log-gardener:v1 not json -->",
      "<!-- gcp-log-gardener:v1 {\"kind\":\"boss\",\"key\":\"k\"} -->",         // unknown kind
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"a b\"} -->",      // not a token
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\",\"priority\":9} -->",
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\",\"watermark\":\"soon\"} -->",
      "<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\",\"fingerprints\":[\"x-->\"]} -->",
  };
  for (const char* text : broken) {
    CAPTURE(text);
    CHECK_FALSE(ParseMarker(text).has_value());
  }
  // A good marker survives a broken one after it.
  CHECK(ParseMarker(FormatMarker(Sample()) + broken[2]).has_value());
}

TEST_CASE("marker: hostile values never make a marker that closes early") {
  Marker m = Sample();
  m.run_id = "-->";
  m.fingerprints = {"ok", "bad-->", "also bad"};
  std::string text = FormatMarker(m);
  CHECK(text.find("-->") == text.size() - 3);
  auto back = ParseMarker(text);
  REQUIRE(back);
  CHECK(back->fingerprints == std::vector<std::string>{"ccd44d2a28159e47", "ok"});  // the key too
  CHECK(back->run_id == "");
  m.key = "k --> <script>";  // a key that is no token: the marker is unreadable, never unsafe
  text = FormatMarker(m);
  CHECK(text.find("-->") == text.size() - 3);
  CHECK_FALSE(ParseMarker(text).has_value());
}

TEST_CASE("marker: fields of the wrong type or out of range are not well-formed, never thrown") {
  for (const char* bad : {R"({"kind":"issue","key":2})", R"({"kind":"issue","key":"k","priority":1e300})",
                          R"({"kind":"issue","key":"k","priority":4294967298})",
                          R"({"kind":"issue","key":"k","run":[]})", R"({"kind":7,"key":"k"})",
                          R"({"kind":"issue","key":"k","watermark":"9999-12-31T23:59:59-01:00"})"}) {
    INFO(bad);
    CHECK_FALSE(ParseMarker(std::string("<!-- gcp-log-gardener:v1 ") + bad + " -->"));
  }
  // 257 fingerprints would not be written back whole.
  std::string fps;
  for (int i = 0; i < 257; ++i) fps += std::string(fps.empty() ? "" : ",") + "\"f" + std::to_string(i) + "\"";
  CHECK_FALSE(ParseMarker("<!-- gcp-log-gardener:v1 {\"kind\":\"issue\",\"key\":\"k\",\"fingerprints\":[" + fps + "]} -->"));
}

}  // namespace
}  // namespace triage

namespace triage {
namespace {

TEST_CASE("marker: the dashboard's issue list reads back; a bad entry makes it not well-formed") {
  Marker m;
  m.kind = MarkerKind::kDashboard;
  m.key = "dashboard";
  m.issues = {3, 12, 40};
  auto back = ParseMarker(FormatMarker(m));
  REQUIRE(back);
  CHECK(back->issues == std::vector<int>{3, 12, 40});
  for (const char* bad : {"[0]", "[-4]", "[\"7\"]", "[1.5]", "7", "[99999999999]"}) {
    CAPTURE(bad);
    std::string text = std::string("<!-- gcp-log-gardener:v1 {\"kind\":\"dashboard\",\"key\":\"dashboard\",\"issues\":") +
                       bad + "} -->";
    CHECK_FALSE(ParseMarker(text));
  }
}

}  // namespace
}  // namespace triage
