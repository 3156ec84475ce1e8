#include "io/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "sim/error.hpp"

namespace attendsim::svg {

namespace {

const char* kPalette[] = {"#1b6ca8", "#d1495b", "#2e933c", "#edae49",
                          "#6a4c93", "#00798c", "#8c564b", "#555555"};
constexpr std::size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];

struct Frame {
  double x0, x1, y0, y1;  // data range
  int left = 78, right = 20, top = 40, bottom = 58, width = 720, height = 360;
  bool rotate_x = false;  // category labels too long to sit side by side: slanted
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (width - left - right); }
  double py(double y) const {
    return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom);
  }
};

/// A frame over [x0, x1] x [y0, y1] with room on the right for the series' legend: about
/// 7 px per character of the longest series name.
Frame legend_frame(double x0, double x1, double y0, double y1, int width, int height,
                   const std::vector<Series>& series) {
  Frame f{x0, x1, y0, y1};
  f.width = width;
  f.height = height;
  std::size_t longest = 0;
  for (const auto& s : series) longest = std::max(longest, s.name.size());
  f.right = std::clamp(40 + 7 * static_cast<int>(longest), 150, width / 2);
  return f;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

void require_labels(const ChartText& t) {
  ATTENDSIM_REQUIRE(!t.x_label.empty() && !t.y_label.empty(),
                    "chart '" << t.title << "' needs axis labels with units");
}

std::string open_svg(const ChartText& t, int width, int height) {
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" << width << "\" height=\""
     << height << "\" viewBox=\"0 0 " << width << " " << height
     << "\" font-family=\"sans-serif\" font-size=\"12\">"
     << "<title>" << escape(t.title) << "</title>"
     << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
     << "<text x=\"" << width / 2
     << "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">"
     << escape(t.title) << "</text>";
  return os.str();
}

std::string axes(const Frame& f, const ChartText& t, const std::vector<double>& yticks,
                 const TickFormat& fmt, const std::vector<std::pair<double, std::string>>& xticks) {
  std::ostringstream os;
  const double xa = f.px(f.x0), xb = f.px(f.x1), ya = f.py(f.y0), yb = f.py(f.y1);
  for (double y : yticks) {
    os << "<line x1=\"" << num(xa) << "\" x2=\"" << num(xb) << "\" y1=\"" << num(f.py(y))
       << "\" y2=\"" << num(f.py(y)) << "\" stroke=\"#e5e5e5\"/>"
       << "<text x=\"" << num(xa - 6) << "\" y=\"" << num(f.py(y) + 4) << "\" text-anchor=\"end\">"
       << escape(fmt(y)) << "</text>";
  }
  for (const auto& [x, label] : xticks) {
    os << "<line x1=\"" << num(f.px(x)) << "\" x2=\"" << num(f.px(x)) << "\" y1=\"" << num(ya)
       << "\" y2=\"" << num(ya + 4) << "\" stroke=\"#333\"/>"
       << (f.rotate_x ? "<text transform=\"translate(" + num(f.px(x) + 4) + "," + num(ya + 14) +
                            ") rotate(-35)\" text-anchor=\"end\">"
                      : "<text x=\"" + num(f.px(x)) + "\" y=\"" + num(ya + 17) +
                            "\" text-anchor=\"middle\">")
       << escape(label) << "</text>";
  }
  os << "<line x1=\"" << num(xa) << "\" x2=\"" << num(xb) << "\" y1=\"" << num(ya) << "\" y2=\""
     << num(ya) << "\" stroke=\"#333\"/><line x1=\"" << num(xa) << "\" x2=\"" << num(xa)
     << "\" y1=\"" << num(ya) << "\" y2=\"" << num(yb) << "\" stroke=\"#333\"/>";
  os << "<text class=\"x-label\" x=\"" << num((xa + xb) / 2) << "\" y=\"" << f.height - 14
     << "\" text-anchor=\"middle\">" << escape(t.x_label) << "</text>";
  os << "<text class=\"y-label\" transform=\"translate(16," << num((ya + yb) / 2)
     << ") rotate(-90)\" text-anchor=\"middle\">" << escape(t.y_label) << "</text>";
  return os.str();
}

void pad_range(double& lo, double& hi) {
  if (!(hi > lo)) {
    const double m = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 1.0;
    lo -= m;
    hi += m;
  }
}

}  // namespace

std::string series_colour(std::size_t k) {
  if (k < kPaletteSize) return kPalette[k];
  // HSL with hue stepped by the golden angle (137.5 degrees), saturation 0.65 and lightness
  // alternating between 0.38 and 0.52, converted to RGB.
  const std::size_t j = k - kPaletteSize;
  const double h = std::fmod(17.0 + 137.50776405 * static_cast<double>(j), 360.0) / 60.0;
  const double l = j % 2 == 0 ? 0.38 : 0.52, sat = 0.65;
  const double c = (1 - std::abs(2 * l - 1)) * sat;
  const double x = c * (1 - std::abs(std::fmod(h, 2.0) - 1));
  double r = 0, g = 0, b = 0;
  if (h < 1) {
    r = c, g = x;
  } else if (h < 2) {
    r = x, g = c;
  } else if (h < 3) {
    g = c, b = x;
  } else if (h < 4) {
    g = x, b = c;
  } else if (h < 5) {
    r = x, b = c;
  } else {
    r = c, b = x;
  }
  const double m = l - c / 2;
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(255 * (r + m))),
                static_cast<int>(std::lround(255 * (g + m))),
                static_cast<int>(std::lround(255 * (b + m))));
  return buf;
}

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo)) {
    lo = 0;  // no usable range (NaN, infinite or overflowing data): a plain unit axis
    hi = 1;
  }
  pad_range(lo, hi);
  const double raw = (hi - lo) / std::max(1, count);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  }
  // From the last multiple of step at or below lo to the first at or above hi, so the
  // ticks always cover the data.
  const double fa = std::floor(lo / step + 1e-9), fb = std::ceil(hi / step - 1e-9);
  if (!(step > 0) || !std::isfinite(fa) || !std::isfinite(fb) || std::abs(fa) > 1e15 ||
      std::abs(fb) > 1e15 || fb - fa > 100) {
    return {lo, hi};  // a range too narrow for its magnitude to step through: its two ends
  }
  const long first = static_cast<long>(fa);
  const long last = static_cast<long>(fb);
  std::vector<double> t;
  for (long k = first; k <= last; ++k) t.push_back(k == 0 ? 0.0 : static_cast<double>(k) * step);
  return t;
}

std::string line_chart(const ChartText& text, const std::vector<Series>& series,
                       const TickFormat& fmt, double y_max_at_least, int width, int height) {
  require_labels(text);
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
  for (const auto& s : series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xmin = std::min(xmin, s.x[i]);
      xmax = std::max(xmax, s.x[i]);
      ymin = std::min(ymin, s.low.empty() ? s.y[i] : s.low[i]);
      ymax = std::max(ymax, s.high.empty() ? s.y[i] : s.high[i]);
    }
  }
  ATTENDSIM_REQUIRE(std::isfinite(xmin) && std::isfinite(ymin),
                    "line chart '" << text.title << "' has no data");
  pad_range(xmin, xmax);
  bool integer_x = true;
  for (const auto& s : series) {
    for (double x : s.x) integer_x = integer_x && x == std::floor(x);
  }
  const auto yt = nice_ticks(std::min(0.0, ymin), std::max(ymax, y_max_at_least), 5);
  const Frame f = legend_frame(xmin, xmax, yt.front(), yt.back(), width, height, series);
  std::vector<std::pair<double, std::string>> xt;
  for (double x : nice_ticks(xmin, xmax, 8)) {
    if (x >= xmin && x <= xmax && (!integer_x || x == std::floor(x))) xt.emplace_back(x, fmt(x));
  }
  std::ostringstream os;
  os << open_svg(text, width, height) << axes(f, text, yt, fmt, xt);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    const std::string col = series_colour(k);
    if (!s.low.empty()) {
      os << "<polygon fill=\"" << col << "\" fill-opacity=\"0.15\" stroke=\"none\" points=\"";
      for (std::size_t i = 0; i < s.x.size(); ++i)
        os << num(f.px(s.x[i])) << "," << num(f.py(s.high[i])) << " ";
      for (std::size_t i = s.x.size(); i-- > 0;)
        os << num(f.px(s.x[i])) << "," << num(f.py(s.low[i])) << " ";
      os << "\"/>";
    }
    os << "<polyline fill=\"none\" stroke=\"" << col << "\" stroke-width=\"2\" points=\"";
    for (std::size_t i = 0; i < s.x.size(); ++i)
      os << num(f.px(s.x[i])) << "," << num(f.py(s.y[i])) << " ";
    os << "\"/>";
    const int ly = f.top + 14 + static_cast<int>(k) * 18;
    os << "<rect x=\"" << width - f.right + 12 << "\" y=\"" << ly - 9
       << "\" width=\"12\" height=\"4\" fill=\"" << col << "\"/><text x=\"" << width - f.right + 30
       << "\" y=\"" << ly - 4 << "\">" << escape(s.name) << "</text>";
  }
  os << "</svg>";
  return os.str();
}

std::string scatter_chart(const ChartText& text, const std::vector<Series>& series,
                          const TickFormat& x_fmt, const TickFormat& fmt, int width, int height) {
  require_labels(text);
  double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
  for (const auto& s : series) {
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xmin = std::min(xmin, s.x[i]);
      xmax = std::max(xmax, s.x[i]);
      ymin = std::min(ymin, s.y[i]);
      ymax = std::max(ymax, s.y[i]);
    }
  }
  ATTENDSIM_REQUIRE(std::isfinite(xmin) && std::isfinite(ymin),
                    "scatter chart '" << text.title << "' has no data");
  const auto xt_values = nice_ticks(std::min(0.0, xmin), std::max(0.0, xmax), 6);
  const auto yt = nice_ticks(std::min(0.0, ymin), std::max(0.0, ymax), 5);
  const Frame f = legend_frame(xt_values.front(), xt_values.back(), yt.front(), yt.back(), width,
                               height, series);
  std::vector<std::pair<double, std::string>> xt;
  for (double x : xt_values) xt.emplace_back(x, x_fmt(x));
  std::ostringstream os;
  os << open_svg(text, width, height) << axes(f, text, yt, fmt, xt);
  if (f.x0 < 0 && f.x1 > 0) {
    os << "<line x1=\"" << num(f.px(0)) << "\" x2=\"" << num(f.px(0)) << "\" y1=\""
       << num(f.py(f.y0)) << "\" y2=\"" << num(f.py(f.y1))
       << "\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>";
  }
  if (f.y0 < 0 && f.y1 > 0) {
    os << "<line x1=\"" << num(f.px(f.x0)) << "\" x2=\"" << num(f.px(f.x1)) << "\" y1=\""
       << num(f.py(0)) << "\" y2=\"" << num(f.py(0))
       << "\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>";
  }
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    const std::string col = series_colour(k);
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      os << "<circle cx=\"" << num(f.px(s.x[i])) << "\" cy=\"" << num(f.py(s.y[i]))
         << "\" r=\"3\" fill=\"" << col << "\" fill-opacity=\"0.6\"/>";
    }
    const int ly = f.top + 14 + static_cast<int>(k) * 18;
    os << "<circle cx=\"" << width - f.right + 18 << "\" cy=\"" << ly - 7 << "\" r=\"4\" fill=\""
       << col << "\"/><text x=\"" << width - f.right + 30 << "\" y=\"" << ly - 4 << "\">"
       << escape(s.name) << "</text>";
  }
  os << "</svg>";
  return os.str();
}

std::string interval_chart(const ChartText& text, const std::vector<IntervalPoint>& points,
                           const TickFormat& fmt, double reference,
                           const std::string& reference_label, int width, int height) {
  require_labels(text);
  ATTENDSIM_REQUIRE(!points.empty(), "interval chart '" << text.title << "' has no data");
  double ymin = reference, ymax = reference;
  for (const auto& p : points) {
    ymin = std::min({ymin, p.low, p.value});
    ymax = std::max({ymax, p.high, p.value});
  }
  const auto yt = nice_ticks(ymin, ymax, 5);
  Frame f{-0.5, static_cast<double>(points.size()) - 0.5, yt.front(), yt.back()};
  // Labels longer than their slot (about 7 px per character) are slanted, and the chart
  // grows downwards to hold them, keeping the plot area.
  std::size_t longest = 0;
  for (const auto& p : points) longest = std::max(longest, p.category.size());
  const double slot = (width - f.left - f.right) / static_cast<double>(points.size());
  if (7.0 * static_cast<double>(longest) > slot) {
    f.rotate_x = true;
    const int extra =
        static_cast<int>(4.1 * static_cast<double>(std::min<std::size_t>(longest, 48)));
    f.bottom += extra;
    height += extra;
    // The first label runs down to the left of its slot: widen the left margin to hold it.
    const double reach =
        7.0 * 0.82 * static_cast<double>(std::min<std::size_t>(longest, 48)) - slot / 2 + 8;
    f.left = std::max(f.left, static_cast<int>(reach));
  }
  f.width = width;
  f.height = height;
  std::vector<std::pair<double, std::string>> xt;
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::string c = points[i].category;
    if (c.size() > 48) {
      std::size_t cut = 45;  // not inside a UTF-8 sequence
      while (cut > 0 && (static_cast<unsigned char>(c[cut]) & 0xC0) == 0x80) --cut;
      c = c.substr(0, cut) + "...";
    }
    xt.emplace_back(static_cast<double>(i), c);
  }
  std::ostringstream os;
  os << open_svg(text, width, height) << axes(f, text, yt, fmt, xt);
  os << "<line x1=\"" << num(f.px(f.x0)) << "\" x2=\"" << num(f.px(f.x1)) << "\" y1=\""
     << num(f.py(reference)) << "\" y2=\"" << num(f.py(reference))
     << "\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>"
     << "<text x=\"" << num(f.px(f.x1) - 4) << "\" y=\"" << num(f.py(reference) - 5)
     << "\" text-anchor=\"end\" fill=\"#666\">" << escape(reference_label) << "</text>";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    const double x = f.px(static_cast<double>(i));
    os << "<line x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << num(f.py(p.low))
       << "\" y2=\"" << num(f.py(p.high)) << "\" stroke=\"" << kPalette[0]
       << "\" stroke-width=\"2\"/>"
       << "<line x1=\"" << num(x - 6) << "\" x2=\"" << num(x + 6) << "\" y1=\"" << num(f.py(p.low))
       << "\" y2=\"" << num(f.py(p.low)) << "\" stroke=\"" << kPalette[0] << "\"/>"
       << "<line x1=\"" << num(x - 6) << "\" x2=\"" << num(x + 6) << "\" y1=\"" << num(f.py(p.high))
       << "\" y2=\"" << num(f.py(p.high)) << "\" stroke=\"" << kPalette[0] << "\"/>"
       << "<circle cx=\"" << num(x) << "\" cy=\"" << num(f.py(p.value)) << "\" r=\"5\" fill=\""
       << kPalette[1] << "\"/>";
  }
  os << "</svg>";
  return os.str();
}

}  // namespace attendsim::svg
