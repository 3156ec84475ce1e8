#include "models/plain_month.hpp"

#include <cstddef>

// The kernel is built for x86-64 by GCC or Clang (target attributes, run-time CPU checks);
// elsewhere plain_month_kernel_available() is false and the scalar loop takes every month.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ATTENDSIM_PLAIN_KERNEL 1
#include <immintrin.h>
// GCC 12's AVX-512 headers warn of their own _mm_undefined_* operands when inlined (GCC bug
// 105593, fixed in 13): not this file's values.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#else
#define ATTENDSIM_PLAIN_KERNEL 0
#endif

namespace attendsim::models::detail {

namespace {

// The byte of each field in a 16-byte Pupil: the kernel's transposed rows are these bytes.
// Field f is row f % 4 of transposed register f / 4.
constexpr int kFieldState = 0, kFieldMonths = 1, kFieldGrade = 2, kFieldGender = 3, kFieldRun = 4,
              kFieldFlags = 5, kFieldRelapse = 6, kFieldAfterClose = 7, kFieldExtMonths = 8,
              kFieldBand = 9, kFieldCaseStart = 10, kFieldStatus = 12;
static_assert(offsetof(PupilPath, state) == kFieldState &&
              offsetof(PupilPath, months_in_state) == kFieldMonths &&
              offsetof(PupilPath, grade) == kFieldGrade &&
              offsetof(PupilPath, gender) == kFieldGender &&
              offsetof(PupilPath, regular_run) == kFieldRun &&
              offsetof(PupilPath, flags) == kFieldFlags &&
              offsetof(PupilPath, relapse_left) == kFieldRelapse &&
              offsetof(PupilPath, after_close) == kFieldAfterClose &&
              offsetof(PupilPath, extensive_months_year) == kFieldExtMonths &&
              offsetof(PupilPath, band) == kFieldBand &&
              offsetof(PupilPath, case_start) == kFieldCaseStart && sizeof(PupilPath) == 12 &&
              offsetof(PupilCase, status) == 0 && sizeof(PupilCase) == 4);

/// The CPU features the kernel is compiled for.
bool cpu_has_kernel_features() {
#if ATTENDSIM_PLAIN_KERNEL
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("popcnt");
#else
  return false;
#endif
}

/// The PupilCase part of a Pupil starts at byte 12 (checked once: a base's offset is not a
/// constant expression).
bool case_part_at_byte_12() {
  Pupil p;
  return reinterpret_cast<const unsigned char*>(&p.case_part()) -
             reinterpret_cast<const unsigned char*>(&p) ==
         12;
}

}  // namespace

bool plain_month_kernel_available() {
  static const bool available = cpu_has_kernel_features() && case_part_at_byte_12();
  return available;
}

bool plain_month_constants(const ModelParams& p, const TransitionTable& table, const SchoolMonth& k,
                           bool high_is_general, std::uint32_t cells_present, PlainMonth& out) {
  if (k.leave_bits > 0xffffffffULL || k.place_bits > 0xffffffffULL) return false;
  out.leave_bits = static_cast<std::uint32_t>(k.leave_bits);
  out.place_bits = static_cast<std::uint32_t>(k.place_bits);
  out.sustained = static_cast<std::uint8_t>(p.outcomes.sustained_return_months);
  out.relapse_months = static_cast<std::uint8_t>(p.transitions.relapse_months);
  out.kind =
      k.school ? PlainKind::school : (k.m == kJulyStep ? PlainKind::july : PlainKind::august);
  out.progression = p.population.grade_progression;
  out.grade_max = static_cast<std::uint8_t>(p.population.grade_max);
  out.high_is_general = high_is_general;
  out.cells_present = cells_present;
  for (auto& row : out.th) row.fill(0);
  for (int b = 0; b < kBands; ++b) {
    for (int s = 0; s < kAttendanceStates; ++s) {
      // Outside a relapse window (the kernel's lanes) the regular row is bucket 0.
      for (int bucket = 0; bucket < (s >= kHigh ? 3 : 1); ++bucket) {
        const Thresholds& th = table.bits(b, s, bucket, k.m);
        for (int j = 0; j < 4; ++j) {
          out.th[static_cast<std::size_t>(j)][static_cast<std::size_t>(plain_row(b, s, bucket))] =
              static_cast<std::uint32_t>(
                  std::min<std::uint64_t>(th[static_cast<std::size_t>(j)], 0xffffffffULL));
        }
      }
    }
  }
  return true;
}

#if ATTENDSIM_PLAIN_KERNEL
namespace {

#define ATTENDSIM_KERNEL_TARGET \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,popcnt")))

/// Row F % 4 of field register F / 4: field F of the 16 pupils.
template <int F>
ATTENDSIM_KERNEL_TARGET inline __m128i row(const __m512i* fields) {
  return _mm512_extracti32x4_epi32(fields[F / 4], F % 4);
}

/// Field F of the lanes `lanes` set to `value`'s.
template <int F>
ATTENDSIM_KERNEL_TARGET inline void put_row(__m512i* fields, __mmask16 lanes, __m128i value) {
  fields[F / 4] =
      _mm512_inserti32x4(fields[F / 4], _mm_mask_blend_epi8(lanes, row<F>(fields), value), F % 4);
}

template <PlainKind kKind>
ATTENDSIM_KERNEL_TARGET std::uint32_t month16(Pupil* p, const std::uint64_t* x, const PlainMonth& k,
                                              MonthTally& tally) {
  alignas(64) static constexpr auto to_fields = [] {
    std::array<std::array<std::uint8_t, 64>, 4> idx{};
    for (int j = 0; j < 4; ++j)
      for (int f = 0; f < 4; ++f)
        for (int q = 0; q < 16; ++q) {
          const int qq = q % 8;
          idx[static_cast<std::size_t>(j)][static_cast<std::size_t>(16 * f + q)] =
              static_cast<std::uint8_t>((qq / 4) * 64 + (qq % 4) * 16 + 4 * j + f);
        }
    return idx;
  }();
  // Record register i, position 16 qq + b (pupil 4i + qq, byte b): row b % 4 of field
  // register b / 4, from the pair of field registers (0, 1) for b < 8, (2, 3) for b >= 8.
  alignas(64) static constexpr auto to_records = [] {
    std::array<std::array<std::uint8_t, 64>, 4> idx{};
    for (int i = 0; i < 4; ++i)
      for (int qq = 0; qq < 4; ++qq)
        for (int b = 0; b < 16; ++b)
          idx[static_cast<std::size_t>(i)][static_cast<std::size_t>(16 * qq + b)] =
              static_cast<std::uint8_t>(((b / 4) % 2) * 64 + (b % 4) * 16 + 4 * i + qq);
    return idx;
  }();
  constexpr __mmask64 kUpperHalves = 0xff00ff00ff00ff00ULL;

  auto* const raw = reinterpret_cast<unsigned char*>(p);
  const __m512i r0 = _mm512_loadu_si512(raw);
  const __m512i r1 = _mm512_loadu_si512(raw + 64);
  const __m512i r2 = _mm512_loadu_si512(raw + 128);
  const __m512i r3 = _mm512_loadu_si512(raw + 192);
  __m512i fields[4];
  for (int j = 0; j < 4; ++j) {
    const __m512i idx = _mm512_load_si512(to_fields[static_cast<std::size_t>(j)].data());
    fields[j] = _mm512_mask_blend_epi8(kUpperHalves, _mm512_permutex2var_epi8(r0, idx, r1),
                                       _mm512_permutex2var_epi8(r2, idx, r3));
  }
  const __m128i state = row<kFieldState>(fields);
  const __m128i months = row<kFieldMonths>(fields);
  const __m128i gender = row<kFieldGender>(fields);
  const __m128i run = row<kFieldRun>(fields);
  const __m128i flags0 = row<kFieldFlags>(fields);
  const __m128i band0 = row<kFieldBand>(fields);
  // Any of status, after_close, relapse_left or case_start set: the general rules.
  const __m128i pipeline = _mm_or_si128(
      _mm_or_si128(row<kFieldStatus>(fields), row<kFieldAfterClose>(fields)),
      _mm_or_si128(row<kFieldRelapse>(fields),
                   _mm_or_si128(row<kFieldCaseStart>(fields), row<kFieldCaseStart + 1>(fields))));
  const __m128i one = _mm_set1_epi8(1);

  const __mmask16 present = _mm_cmpneq_epi8_mask(state, _mm_set1_epi8(kLeft));
  __mmask16 general = _mm_test_epi8_mask(pipeline, pipeline);

  // The draws' low and high words, 16 lanes of 32 bits.
  const __m512i x0 = _mm512_loadu_si512(x);
  const __m512i x1 = _mm512_loadu_si512(x + 8);
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  const __m512i lo = _mm512_permutex2var_epi32(x0, even, x1);
  const __m512i hi = _mm512_permutex2var_epi32(x0, odd, x1);
  general |= _mm512_cmplt_epu32_mask(lo, _mm512_set1_epi32(static_cast<int>(k.leave_bits)));
  general |= _mm_cmpeq_epi8_mask(state, _mm_set1_epi8(kExtensive)) &
             _mm512_cmplt_epu32_mask(lo, _mm512_set1_epi32(static_cast<int>(k.place_bits)));
  general |= _mm512_cmpeq_epi32_mask(hi, _mm512_set1_epi32(-1));

  // July and August: the pupil-months without an event of year_end or new_school_year, and
  // the fields those change then (the transition's row is on the band after August's move).
  __m128i flags = flags0;
  __m128i band = band0;
  __m128i grade = row<kFieldGrade>(fields);
  if constexpr (kKind == PlainKind::july) {
    general |= _mm_test_epi8_mask(flags0, _mm_set1_epi8(kExtensiveThisYear));
    general |= _mm_cmpge_epu8_mask(grade, _mm_set1_epi8(8));
    flags = _mm_and_si128(flags0, _mm_set1_epi8(static_cast<char>(~kPlacedThisYear)));
  }
  if constexpr (kKind == PlainKind::august) {
    general |= _mm_test_epi8_mask(flags0, _mm_set1_epi8(kRepeatThisYear));
    if (k.progression) {
      general |= _mm_cmpge_epu8_mask(grade, _mm_set1_epi8(static_cast<char>(k.grade_max)));
      grade = _mm_add_epi8(grade, one);
      // band_of_grade: (grade >= 7) + (grade >= 10)
      band = _mm_sub_epi8(_mm_sub_epi8(_mm_setzero_si128(),
                                       _mm_movm_epi8(_mm_cmpge_epu8_mask(grade, _mm_set1_epi8(7)))),
                          _mm_movm_epi8(_mm_cmpge_epu8_mask(grade, _mm_set1_epi8(10))));
    }
  }

  // The row: band x slot, the slot of high and extensive by duration bucket.
  const __mmask16 high_or_ext = _mm_cmpge_epu8_mask(state, _mm_set1_epi8(kHigh));
  const __m128i bucket =
      _mm_sub_epi8(_mm_sub_epi8(_mm_setzero_si128(),
                                _mm_movm_epi8(_mm_cmpgt_epu8_mask(months, _mm_set1_epi8(2)))),
                   _mm_movm_epi8(_mm_cmpgt_epu8_mask(months, _mm_set1_epi8(5))));
  // 3 s - 4 + bucket for s >= high (2 + 3 (s - 2) + bucket), s otherwise.
  const __m128i slot = _mm_mask_blend_epi8(
      high_or_ext, state,
      _mm_add_epi8(_mm_sub_epi8(_mm_add_epi8(_mm_add_epi8(state, state), state), _mm_set1_epi8(4)),
                   bucket));
  const __m128i row8 = _mm_add_epi8(_mm_slli_epi16(band, 3), slot);  // band <= 2: no carry
  const __m512i row_index = _mm512_cvtepu8_epi32(row8);
  __m128i ns = _mm_setzero_si128();
  for (int j = 0; j < 4; ++j) {
    const auto& t = k.th[static_cast<std::size_t>(j)];
    const __m512i th = _mm512_permutex2var_epi32(_mm512_load_si512(t.data()), row_index,
                                                 _mm512_load_si512(t.data() + 16));
    ns = _mm_mask_add_epi8(ns, _mm512_cmpge_epu32_mask(hi, th), ns, one);
  }
  const __mmask16 to_regular = _mm_cmpeq_epi8_mask(ns, _mm_setzero_si128());
  const __mmask16 to_high = _mm_cmpge_epu8_mask(ns, _mm_set1_epi8(kHigh));  // left included
  const __mmask16 to_ext = _mm_cmpeq_epi8_mask(ns, _mm_set1_epi8(kExtensive));
  const __mmask16 stay = _mm_cmpeq_epi8_mask(ns, state);
  const __mmask16 had = _mm_test_epi8_mask(flags, _mm_set1_epi8(kHadHighOrExtensive));
  const __mmask16 ever = _mm_test_epi8_mask(flags, _mm_set1_epi8(kEverHighOrExtensive));
  general |= _mm_cmpeq_epi8_mask(ns, _mm_set1_epi8(kLeft));  // leaving by state
  general |= to_high & static_cast<__mmask16>(~ever);        // a first entry: counted
  if (k.high_is_general) general |= to_high;
  general &= present;
  const __mmask16 plain = present & static_cast<__mmask16>(~general);

  // Bookkeeping (PupilRules::school_month_path on a plain lane).
  const __m128i months2 = _mm_mask_blend_epi8(stay, one, _mm_adds_epu8(months, one));
  const __m128i run2 = _mm_maskz_mov_epi8(to_regular, _mm_adds_epu8(run, one));
  const __mmask16 opens =
      to_regular & had & _mm_cmpneq_epi8_mask(state, _mm_setzero_si128());  // relapse window
  const __m128i relapse2 =
      _mm_maskz_mov_epi8(opens, _mm_set1_epi8(static_cast<char>(k.relapse_months)));
  const __mmask16 sustained =
      to_regular & had & _mm_cmpge_epu8_mask(run2, _mm_set1_epi8(static_cast<char>(k.sustained)));
  __m128i flags2 = _mm_mask_blend_epi8(
      sustained, flags,
      _mm_and_si128(flags, _mm_set1_epi8(static_cast<char>(~kHadHighOrExtensive))));
  flags2 = _mm_mask_blend_epi8(
      to_high, flags2,
      _mm_or_si128(flags2, _mm_set1_epi8(kHadHighOrExtensive | kEverHighOrExtensive)));
  // A school month counts among the year's months in extensive absence.
  __m128i ext_months2 = row<kFieldExtMonths>(fields);
  if constexpr (kKind == PlainKind::school) {
    flags2 = _mm_mask_blend_epi8(to_ext, flags2,
                                 _mm_or_si128(flags2, _mm_set1_epi8(kExtensiveThisYear)));
    ext_months2 = _mm_mask_add_epi8(ext_months2, to_ext, ext_months2, one);
  }

  // Counts by subgroup cell (gender x band).
  const __m128i gender3 = _mm_add_epi8(_mm_add_epi8(gender, gender), gender);
  const __m128i cell = _mm_add_epi8(gender3, band);
  // In summer the left pupils are counted too, in their cell (their band unchanged).
  const __mmask16 left = static_cast<__mmask16>(~present);
  const __m128i left_cell = _mm_add_epi8(gender3, band0);
  const __mmask16 to_state[kAttendanceStates] = {to_regular, _mm_cmpeq_epi8_mask(ns, one),
                                                 _mm_cmpeq_epi8_mask(ns, _mm_set1_epi8(kHigh)),
                                                 to_ext};
  for (std::uint32_t cells = k.cells_present; cells != 0; cells &= cells - 1) {
    const int c = __builtin_ctz(cells);
    const __m128i cell_c = _mm_set1_epi8(static_cast<char>(c));
    if constexpr (kKind != PlainKind::school) {
      tally.occ[c][kLeft] += static_cast<std::uint32_t>(
          __builtin_popcount(left & _mm_cmpeq_epi8_mask(left_cell, cell_c)));
    }
    const __mmask16 in_cell = plain & _mm_cmpeq_epi8_mask(cell, cell_c);
    if (in_cell == 0) continue;
    for (int s = 0; s < kAttendanceStates; ++s)
      tally.occ[c][s] += static_cast<std::uint32_t>(__builtin_popcount(in_cell & to_state[s]));
    tally.sustained[c] += static_cast<std::uint32_t>(__builtin_popcount(in_cell & sustained));
  }

  // The plain lanes' new fields, back into the records (the other lanes' bytes unchanged).
  put_row<kFieldState>(fields, plain, ns);
  put_row<kFieldMonths>(fields, plain, months2);
  put_row<kFieldRun>(fields, plain, run2);
  put_row<kFieldFlags>(fields, plain, flags2);
  put_row<kFieldRelapse>(fields, plain, relapse2);
  if constexpr (kKind == PlainKind::july) {
    put_row<kFieldExtMonths>(fields, plain, _mm_setzero_si128());
  } else {
    put_row<kFieldExtMonths>(fields, plain, ext_months2);
  }
  if constexpr (kKind == PlainKind::august) {
    put_row<kFieldGrade>(fields, plain, grade);
    put_row<kFieldBand>(fields, plain, band);
  }
  for (int i = 0; i < 4; ++i) {
    const __m512i idx = _mm512_load_si512(to_records[static_cast<std::size_t>(i)].data());
    const __m512i rec =
        _mm512_mask_blend_epi8(kUpperHalves, _mm512_permutex2var_epi8(fields[0], idx, fields[1]),
                               _mm512_permutex2var_epi8(fields[2], idx, fields[3]));
    _mm512_storeu_si512(raw + 64 * i, rec);
  }
  return general;
}

}  // namespace

std::uint32_t plain_month16(Pupil* p, const std::uint64_t* x, const PlainMonth& k,
                            MonthTally& tally) {
  switch (k.kind) {
    case PlainKind::july:
      return month16<PlainKind::july>(p, x, k, tally);
    case PlainKind::august:
      return month16<PlainKind::august>(p, x, k, tally);
    default:
      return month16<PlainKind::school>(p, x, k, tally);
  }
}
#else
std::uint32_t plain_month16(Pupil* p, const std::uint64_t*, const PlainMonth&, MonthTally&) {
  // Not built here (plain_month_kernel_available() is false): every present pupil to the
  // general rules.
  std::uint32_t general = 0;
  for (int i = 0; i < 16; ++i) general |= (p[i].state != kLeft ? 1U : 0U) << i;
  return general;
}
#endif

}  // namespace attendsim::models::detail
