// The Tusk grammar (PEGTL 3). Rules only: the actions that build the AST are in parser.cpp,
// the error messages of every commit point (`must<>`) in parse_errors.h. docs/language.md is
// the prose form of this file.
//
// Conventions that the actions rely on:
// - No rule begins or ends with whitespace: `sep` sits only *between* the parts of a rule, so
//   the text an action sees is exactly the construct, and spans need no trimming.
// - A rule carries an action only where it can no longer backtrack (after its first token
//   everything is `must<>` or optional), so the value stacks never hold debris of a failed
//   alternative.
// - Role wrappers such as `reason_text : seq<string_lit>` give one token a distinct name per
//   place it is used, so that it can have its own error message and its own action.
#pragma once

#include <tao/pegtl.hpp>

namespace tusk::dsl::grammar {

namespace pg = tao::pegtl;

// Rules are named as the grammar's nonterminals, lower_case as in PEGTL itself, not as C++ types.
// NOLINTBEGIN(readability-identifier-naming)
using pg::at;
using pg::eof;
using pg::eolf;
using pg::failure;
using pg::if_must;
using pg::must;
using pg::not_at;
using pg::not_one;
using pg::one;
using pg::opt;
using pg::plus;
using pg::raise;
using pg::ranges;
using pg::rep_min_max;
using pg::seq;
using pg::sor;
using pg::star;
using pg::success;
using pg::until;

// ================================================================ lexical

struct line_comment : seq<one<'/'>, one<'/'>, until<eolf>> {};
struct block_comment_body : until<TAO_PEGTL_STRING("*/")> {};  // E005 when it hits the end
struct block_comment : seq<TAO_PEGTL_STRING("/*"), must<block_comment_body>> {};
struct ws : one<' ', '\t', '\r', '\n', '\f', '\v'> {};
// Whitespace and comments between tokens.
struct sep : star<sor<ws, line_comment, block_comment>> {};

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident_chars : seq<ident_first, star<ident_other>> {};

// Reserved words (docs/language.md lists them). `weight`, `note` and `evidence` are
// contextual and stay usable as names.
struct kw_pack : TAO_PEGTL_KEYWORD("pack") {};
struct kw_version : TAO_PEGTL_KEYWORD("version") {};
struct kw_module : TAO_PEGTL_KEYWORD("module") {};
struct kw_use : TAO_PEGTL_KEYWORD("use") {};
struct kw_lexicon : TAO_PEGTL_KEYWORD("lexicon") {};
struct kw_profile : TAO_PEGTL_KEYWORD("profile") {};
struct kw_load : TAO_PEGTL_KEYWORD("load") {};
struct kw_regex : TAO_PEGTL_KEYWORD("regex") {};
struct kw_rule : TAO_PEGTL_KEYWORD("rule") {};
struct kw_when : TAO_PEGTL_KEYWORD("when") {};
struct kw_score : TAO_PEGTL_KEYWORD("score") {};
struct kw_reason : TAO_PEGTL_KEYWORD("reason") {};
struct kw_tag : TAO_PEGTL_KEYWORD("tag") {};
struct kw_message : TAO_PEGTL_KEYWORD("message") {};
struct kw_decide : TAO_PEGTL_KEYWORD("decide") {};
struct kw_block : TAO_PEGTL_KEYWORD("block") {};
struct kw_review : TAO_PEGTL_KEYWORD("review") {};
struct kw_allow : TAO_PEGTL_KEYWORD("allow") {};
struct kw_otherwise : TAO_PEGTL_KEYWORD("otherwise") {};
struct kw_suggest : TAO_PEGTL_KEYWORD("suggest") {};
struct kw_alternative : TAO_PEGTL_KEYWORD("alternative") {};
struct kw_test : TAO_PEGTL_KEYWORD("test") {};
struct kw_listing : TAO_PEGTL_KEYWORD("listing") {};
struct kw_expect : TAO_PEGTL_KEYWORD("expect") {};
struct kw_fired : TAO_PEGTL_KEYWORD("fired") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_mentions : TAO_PEGTL_KEYWORD("mentions") {};
struct kw_matches : TAO_PEGTL_KEYWORD("matches") {};
struct kw_within : TAO_PEGTL_KEYWORD("within") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_null : TAO_PEGTL_KEYWORD("null") {};
struct kw_weight : TAO_PEGTL_KEYWORD("weight") {};      // contextual
struct kw_note : TAO_PEGTL_KEYWORD("note") {};          // contextual
struct kw_evidence : TAO_PEGTL_KEYWORD("evidence") {};  // contextual
// Accounts (docs/accounts.md). Contextual: words only where the account declarations and
// `has label` put them, so no existing pack loses a name.
struct kw_entity : TAO_PEGTL_KEYWORD("entity") {};
struct kw_counter : TAO_PEGTL_KEYWORD("counter") {};
struct kw_of : TAO_PEGTL_KEYWORD("of") {};
struct kw_counts : TAO_PEGTL_KEYWORD("counts") {};
struct kw_every : TAO_PEGTL_KEYWORD("every") {};
struct kw_distinct : TAO_PEGTL_KEYWORD("distinct") {};
struct kw_over : TAO_PEGTL_KEYWORD("over") {};
struct kw_label : TAO_PEGTL_KEYWORD("label") {};
struct kw_for : TAO_PEGTL_KEYWORD("for") {};
struct kw_account : TAO_PEGTL_KEYWORD("account") {};
struct kw_has : TAO_PEGTL_KEYWORD("has") {};
struct kw_suspend : TAO_PEGTL_KEYWORD("suspend") {};
struct kw_watch : TAO_PEGTL_KEYWORD("watch") {};
struct kw_none : TAO_PEGTL_KEYWORD("none") {};

struct keyword
    : sor<kw_pack, kw_version, kw_module, kw_use, kw_lexicon, kw_profile, kw_load, kw_regex, kw_rule, kw_when,
          kw_score, kw_reason, kw_tag, kw_message, kw_decide, kw_block, kw_review, kw_allow, kw_otherwise,
          kw_suggest, kw_alternative, kw_test, kw_listing, kw_expect, kw_fired, kw_not, kw_and, kw_or, kw_in,
          kw_mentions, kw_matches, kw_within, kw_true, kw_false, kw_null> {};

struct ident : seq<not_at<keyword>, ident_chars> {};
// `a.b.c`: no whitespace around the dots.
struct qname_part : seq<ident> {};
struct qualified_name : seq<ident, star<one<'.'>, must<qname_part>>> {};

// ---- strings: "..." on one line; escapes \" \\ \n \t \u{XXXX}
struct escape_unicode : seq<one<'u'>, one<'{'>, rep_min_max<1, 6, pg::xdigit>, one<'}'>> {};
struct bad_escape : failure {};  // raise target, E006
struct escape : seq<one<'\\'>, sor<one<'"', '\\', 'n', 't'>, escape_unicode, raise<bad_escape>>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct unterminated_string : failure {};  // raise target, E003
struct string_lit : seq<one<'"'>, star<string_char>, sor<one<'"'>, raise<unterminated_string>>> {};

// ---- numbers: 12, 0.8; a sign is part of the literal only where the grammar says so.
struct digits : plus<pg::digit> {};
struct bad_fraction : failure {};     // raise target, E007: `1.`
struct bad_number_tail : failure {};  // raise target, E007: `12abc`, `1.2.3`
struct number_end : sor<not_at<sor<ident_other, seq<one<'.'>, pg::digit>>>, raise<bad_number_tail>> {};
struct number : seq<digits, opt<one<'.'>, sor<digits, raise<bad_fraction>>>, number_end> {};
struct signed_number : seq<opt<one<'-'>>, number> {};

// ---- regex literals: /.../flags, `\/` escapes a slash; lexed only where a regex is expected.
struct regex_char : sor<seq<one<'\\'>, not_one<'\n', '\r'>>, not_one<'/', '\\', '\n', '\r'>> {};
struct unterminated_regex : failure {};  // raise target, E004
struct bad_regex_flag : failure {};      // raise target
struct regex_lit
    : seq<one<'/'>, not_at<one<'*', '/'>>, star<regex_char>, sor<one<'/'>, raise<unterminated_regex>>,
          star<one<'i', 's', 'm', 'x'>>, sor<not_at<ident_other>, raise<bad_regex_flag>>> {};

// A currency code: exactly three upper-case letters (`price in USD`).
struct currency : seq<rep_min_max<3, 3, pg::upper>, not_at<ident_other>> {};

struct comma : one<','> {};
struct lang_tag : seq<one<'@'>, must<ident_chars>> {};

// ================================================================ expressions

struct expr;
struct unary;
struct postfix_expr;

// Opening tokens of nested constructs. The `_body` rules after them are where the parser
// counts nesting depth (ParseOptions::max_nesting_depth); see nesting_opener below.
struct paren_inner : seq<expr> {};
struct paren_close : one<')'> {};
struct paren_body : seq<sep, must<paren_inner>, sep, must<paren_close>> {};
struct paren_expr : seq<one<'('>, paren_body> {};

struct within_distance : seq<expr> {};
struct within_unit : seq<ident> {};
struct within_clause : seq<kw_within, sep, must<within_distance>, sep, must<within_unit>> {};
struct call_arg : seq<expr> {};
struct call_item : sor<within_clause, call_arg> {};
struct call_more : seq<sep, comma, sep, must<call_item>> {};
struct call_close : one<')'> {};
struct call_body : seq<sep, opt<call_item, star<call_more>>, sep, must<call_close>> {};
struct call_open : one<'('> {};
struct call_suffix : seq<call_open, call_body> {};
struct callee_name : seq<qualified_name> {};
struct name_only : success {};
struct name_or_call : seq<callee_name, sor<call_suffix, name_only>> {};

struct true_lit : seq<kw_true> {};
struct false_lit : seq<kw_false> {};
struct number_expr : seq<number> {};
struct string_expr : seq<string_lit> {};
struct score_ref : seq<kw_score> {};  // `score` is a keyword but also names the running score
// `block`, `review`, `allow` as values, compared with `action` (post-decide conditions).
struct action_lit_block : seq<kw_block> {};
struct action_lit_review : seq<kw_review> {};
struct action_lit_allow : seq<kw_allow> {};
struct action_lit : sor<action_lit_block, action_lit_review, action_lit_allow> {};
struct primary
    : sor<paren_expr, true_lit, false_lit, number_expr, string_expr, score_ref, action_lit, name_or_call> {};

// `price in USD`; `in {` is set membership and is handled one level up.
struct convert_suffix : seq<sep, kw_in, sep, currency> {};
struct postfix_expr : seq<primary, opt<convert_suffix>> {};

struct neg_operand : seq<unary> {};
struct neg_body : seq<sep, must<neg_operand>> {};
struct neg_op : seq<one<'-'>, neg_body> {};
struct unary : sor<neg_op, postfix_expr> {};

struct op_mul : one<'*'> {};
struct op_div : one<'/'> {};
struct mul_rhs : seq<unary> {};
struct mul_tail : seq<sep, sor<op_mul, op_div>, sep, must<mul_rhs>> {};
struct mul_expr : seq<unary, star<mul_tail>> {};

struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct add_rhs : seq<mul_expr> {};
struct add_tail : seq<sep, sor<op_add, op_sub>, sep, must<add_rhs>> {};
struct add_expr : seq<mul_expr, star<add_tail>> {};

struct op_eq : TAO_PEGTL_STRING("==") {};
struct op_ne : TAO_PEGTL_STRING("!=") {};
struct op_le : TAO_PEGTL_STRING("<=") {};
struct op_ge : TAO_PEGTL_STRING(">=") {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct single_equals : failure {};  // raise target: `=` where `==` was meant
struct rel_op : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt, seq<at<one<'='>>, raise<single_equals>>> {};
struct rel_rhs : seq<add_expr> {};
struct rel_tail : seq<sep, rel_op, sep, must<rel_rhs>> {};

struct set_elem : seq<expr> {};
struct set_open : one<'{'> {};
struct set_close : one<'}'> {};
struct set_more : seq<sep, comma, sep, sor<at<set_close>, must<set_elem>>> {};
struct set_body : seq<sep, must<set_elem>, star<set_more>, sep, must<set_close>> {};
struct in_set_tail : seq<sep, kw_in, sep, must<set_open>, set_body> {};

struct mentions_rhs : seq<postfix_expr> {};
struct mentions_tail : seq<sep, kw_mentions, sep, must<mentions_rhs>> {};
struct regex_expr : seq<regex_lit> {};
struct matches_rhs : sor<regex_expr, postfix_expr> {};
struct matches_tail : seq<sep, kw_matches, sep, must<matches_rhs>> {};

// `seller has label "wildlife_offender"`
struct has_label_name : seq<string_lit> {};
struct has_label_tail : seq<sep, kw_has, sep, kw_label, sep, must<has_label_name>> {};

struct cmp_tail : sor<rel_tail, in_set_tail, mentions_tail, matches_tail, has_label_tail> {};
struct chained_comparison : failure {};  // raise target: `a < b < c`
struct any_cmp_start : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt, kw_in, kw_mentions, kw_matches> {};
struct no_chain : sor<not_at<sep, any_cmp_start>, seq<sep, raise<chained_comparison>>> {};
struct cmp_expr : seq<add_expr, opt<cmp_tail, no_chain>> {};

struct not_expr;
struct not_operand : seq<not_expr> {};
struct not_body : seq<sep, must<not_operand>> {};
struct not_op : seq<kw_not, not_body> {};
struct not_expr : sor<not_op, cmp_expr> {};

struct and_rhs : seq<not_expr> {};
struct and_tail : seq<sep, kw_and, sep, must<and_rhs>> {};
struct and_expr : seq<not_expr, star<and_tail>> {};

struct or_rhs : seq<and_expr> {};
struct or_tail : seq<sep, kw_or, sep, must<or_rhs>> {};
struct or_expr : seq<and_expr, star<or_tail>> {};

struct expr : seq<or_expr> {};

// ================================================================ lexicons

struct term_distance : seq<digits, not_at<ident_other>> {};
struct term_fuzzy : seq<sep, one<'~'>, sep, must<term_distance>> {};
struct term : seq<string_lit, opt<term_fuzzy>> {};
struct term_more : seq<sep, comma, sep, must<term>> {};
struct weight_value : seq<signed_number> {};
struct note_text : seq<string_lit> {};
struct attr_lang : seq<lang_tag> {};
struct attr_weight : seq<kw_weight, sep, must<weight_value>> {};
struct attr_note : seq<kw_note, sep, must<note_text>> {};
struct term_attr : sor<attr_lang, attr_weight, attr_note> {};
struct term_group : seq<term, star<term_more>, star<sep, term_attr>> {};

struct lex_expr;
struct inline_open : one<'{'> {};
struct inline_close : one<'}'> {};
struct lex_inline : seq<inline_open, sep, star<term_group, sep>, must<inline_close>> {};
struct load_open : one<'('> {};
struct load_path : seq<string_lit> {};
struct load_close : one<')'> {};
struct lex_load : seq<kw_load, sep, must<load_open>, sep, must<load_path>, sep, must<load_close>> {};
struct lex_paren_inner : seq<lex_expr> {};
struct lex_paren_close : one<')'> {};
struct lex_paren_body : seq<sep, must<lex_paren_inner>, sep, must<lex_paren_close>> {};
struct lex_paren : seq<one<'('>, lex_paren_body> {};
struct lex_ref : seq<qualified_name> {};
struct lex_atom : sor<lex_inline, lex_load, lex_paren, lex_ref> {};
struct lex_rhs : seq<lex_atom> {};
struct lex_union_tail : seq<sep, one<'+'>, sep, must<lex_rhs>> {};
struct lex_diff_tail : seq<sep, one<'-'>, sep, must<lex_rhs>> {};
struct lex_expr : seq<lex_atom, star<sor<lex_union_tail, lex_diff_tail>>> {};

// ================================================================ declarations

struct header_name : seq<qualified_name> {};
struct pack_version : seq<string_lit> {};
struct pack_header : seq<kw_pack, sep, must<header_name>, sep, must<kw_version>, sep, must<pack_version>> {};
struct module_header : seq<kw_module, sep, must<header_name>> {};
struct header : sor<pack_header, module_header> {};

struct use_path : seq<string_lit> {};
struct use_module : seq<qualified_name> {};
struct use_target : sor<use_path, use_module> {};
struct use_decl : seq<kw_use, sep, must<use_target>> {};

struct lexicon_name : seq<ident> {};
struct profile_name : seq<ident> {};
struct profile_clause : seq<kw_profile, sep, must<profile_name>> {};
struct lexicon_value : seq<lex_expr> {};
struct lexicon_body : sor<lex_inline, seq<one<'='>, sep, must<lexicon_value>>> {};
struct lexicon_decl
    : seq<kw_lexicon, sep, must<lexicon_name>, sep, opt<profile_clause, sep>, must<lexicon_body>> {};

struct regex_name : seq<ident> {};
struct regex_equals : one<'='> {};
struct regex_value : seq<regex_lit> {};
struct regex_decl : seq<kw_regex, sep, must<regex_name>, sep, must<regex_equals>, sep, must<regex_value>> {};

struct when_expr : seq<expr> {};
struct score_value : seq<signed_number> {};
struct reason_text : seq<string_lit> {};
struct tag_text : seq<string_lit> {};
struct message_text : seq<string_lit> {};
struct when_clause : seq<kw_when, sep, must<when_expr>> {};
struct score_clause : seq<kw_score, sep, must<score_value>> {};
struct reason_clause : seq<kw_reason, sep, must<reason_text>> {};
struct tag_clause : seq<kw_tag, sep, must<tag_text>> {};
struct message_clause : seq<kw_message, sep, must<message_text>> {};
struct rule_clause : sor<when_clause, score_clause, reason_clause, tag_clause, message_clause> {};
struct rule_name : seq<ident> {};
struct rule_open : one<'{'> {};
struct rule_close : one<'}'> {};
struct rule_decl : seq<kw_rule, sep, must<rule_name>, sep, must<rule_open>, sep, star<rule_clause, sep>,
                       must<rule_close>> {};

struct action_block : seq<kw_block> {};
struct action_review : seq<kw_review> {};
struct action_allow : seq<kw_allow> {};
struct action_word : sor<action_block, action_review, action_allow> {};
struct branch_expr : seq<expr> {};
struct branch_when : seq<kw_when, sep, must<branch_expr>> {};
struct branch_otherwise : seq<kw_otherwise> {};
struct branch_condition : sor<branch_when, branch_otherwise> {};
struct branch_message : seq<kw_message, sep, must<message_text>> {};
struct decide_branch : seq<action_word, sep, must<branch_condition>, opt<sep, branch_message>> {};
struct decide_open : one<'{'> {};
struct decide_close : one<'}'> {};
struct listing_decide : seq<must<decide_open>, sep, star<decide_branch, sep>, must<decide_close>> {};

// ---- accounts: entity, counter, label, `decide account of ENTITY { ... }`
struct window_amount : seq<number> {};
struct window_unit : seq<ident> {};
struct window : seq<must<window_amount>, sep, must<window_unit>> {};
struct entity_name : seq<ident> {};
struct entity_equals : one<'='> {};
struct entity_field : seq<qualified_name> {};
struct entity_decl
    : seq<kw_entity, sep, must<entity_name>, sep, must<entity_equals>, sep, must<entity_field>> {};
struct entity_ref : seq<ident> {};
struct counter_name : seq<ident> {};
struct every_listing : seq<kw_listing> {};
struct counts_every : seq<kw_every, sep, must<every_listing>> {};
struct distinct_field : seq<qualified_name> {};
struct distinct_when_expr : seq<expr> {};
struct distinct_when : seq<kw_when, sep, must<distinct_when_expr>> {};
struct counts_distinct : seq<kw_distinct, sep, must<distinct_field>, opt<sep, distinct_when>> {};
struct counts_expr : seq<expr> {};
struct counts_what : sor<counts_every, counts_distinct, counts_expr> {};
struct counter_decl : seq<kw_counter, sep, must<counter_name>, sep, must<kw_of>, sep, must<entity_ref>, sep,
                          must<kw_counts>, sep, must<counts_what>, sep, must<kw_over>, sep, window> {};
struct label_name : seq<string_lit> {};
struct label_expr : seq<expr> {};
struct label_decl : seq<kw_label, sep, must<entity_ref>, sep, must<label_name>, sep, must<kw_for>, sep,
                        window, sep, must<kw_when>, sep, must<label_expr>> {};
struct account_suspend : seq<kw_suspend> {};
struct account_watch : seq<kw_watch> {};
struct account_none : seq<kw_none> {};
struct account_word : sor<account_suspend, account_watch, account_none> {};
struct account_branch : seq<account_word, sep, must<branch_condition>> {};
struct account_open : one<'{'> {};
struct account_close : one<'}'> {};
struct account_decide : seq<kw_account, sep, must<kw_of>, sep, must<entity_ref>, sep, must<account_open>, sep,
                            star<account_branch, sep>, must<account_close>> {};
struct decide_decl : seq<kw_decide, sep, sor<account_decide, listing_decide>> {};

struct suggest_text : seq<string_lit> {};
struct suggest_name : seq<qualified_name> {};
struct suggest_target : sor<suggest_text, suggest_name> {};
struct suggest_when : seq<kw_when> {};
struct suggest_expr : seq<expr> {};
struct suggest_decl
    : seq<kw_suggest, sep, must<suggest_target>, sep, must<suggest_when>, sep, must<suggest_expr>> {};

struct alternative_name : seq<ident> {};
struct alternative_open : one<'{'> {};
struct alternative_close : one<'}'> {};
struct alternative_lang : seq<lang_tag> {};
struct alternative_text : seq<string_lit, opt<sep, alternative_lang>> {};
struct alternative_decl : seq<kw_alternative, sep, must<alternative_name>, sep, must<alternative_open>, sep,
                              star<alternative_text, sep>, must<alternative_close>> {};

// ---- listing literals (JSON-like)
struct listing_value;
struct value_null : seq<kw_null> {};
struct value_true : seq<kw_true> {};
struct value_false : seq<kw_false> {};
struct value_number : seq<signed_number> {};
struct value_string : seq<string_lit> {};
// Keys may be any identifier, reserved words included (`message`, `tag`), or a string.
struct field_key_ident : seq<ident_chars> {};
struct field_key_string : seq<string_lit> {};
struct field_key : sor<field_key_ident, field_key_string> {};
struct field_colon : one<':'> {};
struct field_value : seq<listing_value> {};
struct listing_field : seq<field_key, sep, must<field_colon>, sep, must<field_value>> {};
struct object_close : one<'}'> {};
struct object_more : seq<sep, comma, sep, listing_field> {};
struct object_body
    : seq<sep, opt<listing_field, star<object_more>, opt<sep, comma>>, sep, must<object_close>> {};
struct object_open : one<'{'> {};
struct listing_object : seq<object_open, object_body> {};
struct array_close : one<']'> {};
struct array_item : seq<listing_value> {};
struct array_more : seq<sep, comma, sep, array_item> {};
struct array_body : seq<sep, opt<array_item, star<array_more>, opt<sep, comma>>, sep, must<array_close>> {};
struct array_open : one<'['> {};
struct listing_array : seq<array_open, array_body> {};
struct listing_value
    : sor<value_string, value_number, value_true, value_false, value_null, listing_object, listing_array> {};

struct expect_name : seq<qualified_name> {};
struct expect_text : seq<string_lit> {};
struct expect_number : seq<signed_number> {};
struct expect_compare : seq<rel_op> {};
struct expect_action : seq<action_word> {};
struct expect_fired : seq<kw_fired, sep, must<expect_name>> {};
struct expect_not_fired : seq<kw_not, sep, must<kw_fired>, sep, must<expect_name>> {};
struct expect_score : seq<kw_score, sep, must<expect_compare>, sep, must<expect_number>> {};
struct expect_tag : seq<kw_tag, sep, must<expect_text>> {};
struct expect_suggest : seq<kw_suggest, sep, must<expect_name>> {};
struct expect_evidence : seq<kw_evidence, sep, must<expect_text>> {};
struct expect_account_word : seq<account_word> {};
struct expect_account : seq<kw_account, sep, must<expect_account_word>> {};
struct expect_body : sor<expect_action, expect_fired, expect_not_fired, expect_score, expect_tag,
                         expect_suggest, expect_evidence, expect_account> {};
struct expectation : seq<kw_expect, sep, must<expect_body>> {};
struct test_name : seq<string_lit> {};
struct test_open : one<'{'> {};
struct test_listing : seq<listing_object> {};
struct test_close : one<'}'> {};
// A sequence test: more listings, each judged with the account state the ones before left.
struct step_listing : seq<listing_object> {};
struct test_step : seq<kw_listing, sep, must<step_listing>, sep, star<expectation, sep>> {};
struct test_decl : seq<kw_test, sep, must<test_name>, sep, must<test_open>, sep, must<kw_listing>, sep,
                       must<test_listing>, sep, star<expectation, sep>, star<test_step>, must<test_close>> {};

// `pack`/`module` after the first declaration: a specific error instead of "expected a declaration".
struct misplaced_header_word : sor<kw_pack, kw_module> {};
struct misplaced_header : failure {};  // raise target
struct late_header : seq<at<misplaced_header_word>, raise<misplaced_header>> {};

struct decl : sor<use_decl, lexicon_decl, regex_decl, rule_decl, decide_decl, suggest_decl, alternative_decl,
                  test_decl, entity_decl, counter_decl, label_decl, late_header> {};

// The parser drives these one at a time so that it can recover between declarations; the
// `file` rule is the whole language in one piece, for analyze() and documentation.
struct file_header : seq<sep, opt<header>> {};
struct next_decl : seq<sep, not_at<eof>, must<decl>> {};
struct file : seq<file_header, star<next_decl>, sep, eof> {};

// ================================================================ nesting

// Rules that open one more level of nesting, and the byte length of the token that opened
// it (for the E002 span). Depth is counted on the body, after the opener has matched, so that
// merely *trying* a nested alternative never counts.
template <typename Rule>
inline constexpr int nesting_opener = 0;
template <>
inline constexpr int nesting_opener<paren_body> = 1;
template <>
inline constexpr int nesting_opener<call_body> = 1;
template <>
inline constexpr int nesting_opener<neg_body> = 1;
template <>
inline constexpr int nesting_opener<not_body> = 3;
template <>
inline constexpr int nesting_opener<set_body> = 1;
template <>
inline constexpr int nesting_opener<lex_paren_body> = 1;
template <>
inline constexpr int nesting_opener<object_body> = 1;
template <>
inline constexpr int nesting_opener<array_body> = 1;

// NOLINTEND(readability-identifier-naming)

}  // namespace tusk::dsl::grammar
