#pragma once
/// Small, dependency-free SVG charts for self-contained HTML reports.
///
/// Two kinds: line charts with optional uncertainty bands (series over x), and interval
/// charts (one point with a lower/upper whisker per category). Every chart requires an
/// x-axis and a y-axis label (with units): an unlabelled chart is a precondition error.
/// Number formatting on the axes is delegated to a caller-supplied function, so a report
/// can format ticks for its language.
#include <functional>
#include <string>
#include <vector>

namespace attendsim::svg {

struct Series {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> low;  ///< optional band (same length as y), or empty
  std::vector<double> high;
};

struct IntervalPoint {
  std::string category;
  double value = 0;
  double low = 0;
  double high = 0;
};

struct ChartText {
  std::string title;
  std::string x_label;  ///< with unit, e.g. "months since start"
  std::string y_label;  ///< with unit, e.g. "pupils"
};

using TickFormat = std::function<std::string(double)>;

/// Line chart of several series with bands; a legend names each series.
/// The y axis always covers 0 and at least up to `y_max_at_least` (e.g. 100 for percentages).
std::string line_chart(const ChartText& text, const std::vector<Series>& series,
                       const TickFormat& fmt, double y_max_at_least = -1e300, int width = 720,
                       int height = 360);

/// Scatter chart: one cloud of points per series (x, y; bands ignored), dashed lines at x = 0
/// and y = 0 when they fall in the range, a legend naming each series. `x_fmt` formats the x
/// ticks, `fmt` the y ticks.
std::string scatter_chart(const ChartText& text, const std::vector<Series>& series,
                          const TickFormat& x_fmt, const TickFormat& fmt, int width = 720,
                          int height = 400);

/// Colour of series k of a chart: the palette's 8 colours first, then further colours spread
/// around the hue circle (golden-angle steps), so that every series of a chart has its own.
std::string series_colour(std::size_t k);

/// One point and its interval per category; `reference` draws a dashed horizontal line
/// (e.g. ROI = 1 or a gap of 0) with its label.
std::string interval_chart(const ChartText& text, const std::vector<IntervalPoint>& points,
                           const TickFormat& fmt, double reference,
                           const std::string& reference_label, int width = 720, int height = 360);

/// "Nice" tick positions covering [lo, hi] (about `count` of them).
std::vector<double> nice_ticks(double lo, double hi, int count);

/// Escapes &, <, >, " for XML/HTML text.
std::string escape(const std::string& s);

}  // namespace attendsim::svg
