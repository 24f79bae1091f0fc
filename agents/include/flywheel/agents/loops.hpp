#pragma once
// The loop switches (`loops.<name>`, all on by default): each cuts one arrow
// of the flywheel where an agent acts, so that what the loop causes can be
// measured by running with it off. docs/model.md ("Loop switches") says
// exactly what each cuts and where.

#include "flywheel/engine/params.hpp"

namespace flywheel::agents {

struct Loops {
  bool word_of_mouth = true;
  bool advertising = true;
  bool third_party_entry = true;
  bool multi_homing = true;
  bool scale_economies = true;
  bool reinvestment = true;
  bool data = true;
  bool fulfilment_investment = true;
  bool membership = true;
  bool demand_response = true;
  bool sponsored = true;

  /// The one list of switches: f(key, member, what it cuts) for each, so
  /// that visit(), `flywheel attribute` and the docs enumerate the same names.
  template <class F>
  static constexpr void fields(F&& f) {
    using T = Loops;
    f("word_of_mouth", &T::word_of_mouth, "Satisfied buyers refer contacts (off: no referral is sent)");
    f("advertising", &T::advertising,
      "Platforms' ads reach inactive customers (off: they reach no one and cost nothing)");
    f("third_party_entry", &T::third_party_entry, "Potential 3P sellers enter (off: none enters after tick 0)");
    f("multi_homing", &T::multi_homing,
      "3P sellers review their platforms, adding and dropping listings (off: each keeps the platforms it entered "
      "on)");
    f("scale_economies", &T::scale_economies,
      "Learning curves (off: seller, 1P and fulfilment unit costs stay where they start)");
    f("reinvestment", &T::reinvestment,
      "Platforms' mechanisms move their levers (off: every lever stays at its start)");
    f("data", &T::data, "The ranker learns from sales and reviews (off: its quality estimates never change)");
    f("fulfilment_investment", &T::fulfilment_investment,
      "Platforms invest in fulfilment capital (off: capital and delivery days stay where they start, nothing is "
      "invested)");
    f("membership", &T::membership, "Platforms sell their paid membership (off: none is offered)");
    f("demand_response", &T::demand_response,
      "Customers shop more or less as their experience goes, and lapse when it is bad or they stay away (off: "
      "each shops at its base rate and never lapses)");
    f("sponsored", &T::sponsored,
      "Platforms sell sponsored positions in shoppers' lists to sellers' bids (off: no position is sold, no bid "
      "paid)");
  }

  template <class V>
  void visit(V& v) {
    fields([&](const char* key, bool Loops::*member, const char* doc) { v.field(key, this->*member, doc); });
  }
};

/// Every loop on: what a platform built without a scenario (tests) runs with.
inline constexpr Loops all_loops_on{};

}  // namespace flywheel::agents
