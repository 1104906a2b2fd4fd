/** @file spelling_variants.h
 *  @brief British -> American spelling by a few suffix rules, applied to
 *  exact terms before stemming so that organisation and organization,
 *  programme and program, characterise and characterize share a stem.
 *
 *  Rules, not a word list: -isation/-ise/-ising/-ised -> -iz..., -yse ->
 *  -yze, -our -> -or, -tre -> -ter, -mme -> -m, -ogue -> -og, -fence ->
 *  -fense, -lled/-lling -> -led/-ling, each with the few exceptions that
 *  would otherwise be damaged (rise, wise, hour, four, genre...).
 */
#pragma once
#include <string>
#include <string_view>

namespace loci::analysis {

/// The American spelling of an exact, lower-case term (unchanged if no rule applies).
std::string american_spelling(std::string_view term);

}  // namespace loci::analysis
