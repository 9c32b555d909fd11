#include "runtime/record.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>

namespace tusk::runtime {
namespace {

class RecordTest : public ::testing::Test {
 protected:
  RecordTest() : schema_(stdlib::default_fields()), decoder_(schema_) {}

  stdlib::FieldId id(std::string_view path) const {
    auto f = schema_.find(path);
    EXPECT_TRUE(f.has_value()) << path;
    return f.value_or(0);
  }
  // Decodes and expects success.
  const Record& ok(std::string_view line) {
    DecodeError e = decoder_.decode(line, record_);
    EXPECT_TRUE(e.ok) << line << " -> " << e.message;
    return record_;
  }
  std::string error(std::string_view line) {
    DecodeError e = decoder_.decode(line, record_);
    EXPECT_FALSE(e.ok) << line;
    return e.message;
  }

  RecordSchema schema_;
  RecordDecoder decoder_;
  Record record_;
};

TEST_F(RecordTest, DecodesEveryDefaultField) {
  const Record& r = ok(
      R"({"id":"L-1","title":"Carved bangle","description":"Old piece","price":320.5,"currency":"usd",)"
      R"("category":"antiques","tags":["old","bangle"],"seller":{"id":"s-9","country":"VN",)"
      R"("description":"collector"},"location":"Hanoi","url":"https://x.test/1","posted_at":"2026-10-30"})");
  EXPECT_EQ(r.id, "L-1");
  EXPECT_TRUE(r.has_id);
  EXPECT_EQ(r.text(id("id")), "L-1");
  EXPECT_EQ(r.text(id("title")), "Carved bangle");
  EXPECT_EQ(r.text(id("description")), "Old piece");
  EXPECT_DOUBLE_EQ(r.number(id("price")), 320.5);
  EXPECT_EQ(r.currency(id("price")), "USD");
  EXPECT_EQ(r.text(id("currency")), "usd");  // the text field keeps what was written
  EXPECT_EQ(r.text(id("category")), "antiques");
  EXPECT_EQ(r.text(id("tags")), "old\nbangle");
  ASSERT_EQ(r.element_count(id("tags")), 2u);
  EXPECT_EQ(r.element(id("tags"), 0), "old");
  EXPECT_EQ(r.element(id("tags"), 1), "bangle");
  EXPECT_EQ(r.element_span(id("tags"), 1).begin, 4u);
  EXPECT_EQ(r.text(id("seller.id")), "s-9");
  EXPECT_EQ(r.text(id("seller.country")), "VN");
  EXPECT_EQ(r.text(id("seller.description")), "collector");
  EXPECT_EQ(r.text(id("location")), "Hanoi");
  EXPECT_EQ(r.text(id("url")), "https://x.test/1");
  EXPECT_EQ(r.text(id("posted_at")), "2026-10-30");
  EXPECT_EQ(r.present_mask(), (std::uint64_t{1} << schema_.fields().size()) - 1);
}

TEST_F(RecordTest, MissingAndNullFieldsAreAbsent) {
  const Record& r = ok(R"({"title":null,"seller":null,"price":null})");
  EXPECT_FALSE(r.present(id("title")));
  EXPECT_EQ(r.text(id("title")), "");
  EXPECT_FALSE(r.present(id("price")));
  EXPECT_TRUE(std::isnan(r.number(id("price"))));
  EXPECT_FALSE(r.present(id("seller.country")));
  EXPECT_FALSE(r.present(id("description")));
  EXPECT_FALSE(r.has_id);
  EXPECT_EQ(r.id, "");
  // Only `shape`, which says how the line was read, is always there.
  EXPECT_EQ(r.present_mask(), std::uint64_t{1} << id("shape"));
}

TEST_F(RecordTest, RecordIsClearedBetweenLines) {
  ok(R"({"id":"a","title":"first","tags":["x"]})");
  const Record& r = ok(R"({"description":"second"})");
  EXPECT_FALSE(r.present(id("title")));
  EXPECT_FALSE(r.has_id);
  EXPECT_EQ(r.element_count(id("tags")), 0u);
  EXPECT_EQ(r.text(id("description")), "second");
}

TEST_F(RecordTest, UnknownFieldsAreIgnoredWhateverTheirShape) {
  const Record& r = ok(R"({"views":12,"images":[{"u":"a"},[1,[2]]],"title":"t","meta":{"a":{"b":null}}})");
  EXPECT_EQ(r.text(id("title")), "t");
}

TEST_F(RecordTest, NumberIdIsKeptAsWritten) {
  EXPECT_EQ(ok(R"({"id":42})").id, "42");
  EXPECT_EQ(ok(R"({"id":123456789012345678901234567890})").id, "123456789012345678901234567890");
  EXPECT_EQ(ok(R"({"id": 1.50e3 , "title":"x"})").id, "1.50e3");
  EXPECT_EQ(ok(R"({"id":42})").text(id("id")), "42");
  EXPECT_EQ(error(R"({"id":true})"), R"(field "id": expected a string or a number, got boolean)");
  EXPECT_EQ(error(R"({"id":["a"]})"), R"(field "id": expected a string or a number, got array)");
}

TEST_F(RecordTest, WrongTypesNameFieldExpectedAndActual) {
  EXPECT_EQ(error(R"({"title":12})"), R"(field "title": expected a string, got number)");
  EXPECT_EQ(error(R"({"description":{"a":1}})"), R"(field "description": expected a string, got object)");
  EXPECT_EQ(error(R"({"seller":{"country":["VN"]}})"),
            R"(field "seller.country": expected a string, got array)");
  EXPECT_EQ(error(R"({"seller":"bob"})"), R"(field "seller": expected an object, got string)");
  EXPECT_EQ(error(R"({"price":true})"), R"(field "price": expected a number or a price string, got boolean)");
  EXPECT_EQ(error(R"({"tags":{"a":"b"}})"), R"(field "tags": expected an array of strings, got object)");
  EXPECT_EQ(error(R"({"tags":["a",3]})"), R"(field "tags[1]": expected a string, got number)");
  EXPECT_EQ(error(R"({"currency":840})"), R"(field "currency": expected a string, got number)");
}

TEST_F(RecordTest, TagsAcceptASingleStringAndSkipNullElements) {
  const Record& r = ok(R"({"tags":"ivory"})");
  ASSERT_EQ(r.element_count(id("tags")), 1u);
  EXPECT_EQ(r.element(id("tags"), 0), "ivory");
  const Record& r2 = ok(R"({"tags":["a",null,"b"]})");
  EXPECT_EQ(r2.text(id("tags")), "a\nb");
  EXPECT_EQ(r2.element_count(id("tags")), 2u);
  const Record& r3 = ok(R"({"tags":[]})");
  EXPECT_TRUE(r3.present(id("tags")));
  EXPECT_EQ(r3.element_count(id("tags")), 0u);
}

TEST_F(RecordTest, TagElementsMayContainNewlines) {
  const Record& r = ok(R"({"tags":["a\nb","c"]})");
  ASSERT_EQ(r.element_count(id("tags")), 2u);
  EXPECT_EQ(r.element(id("tags"), 0), "a\nb");
  EXPECT_EQ(r.element(id("tags"), 1), "c");
}

TEST_F(RecordTest, PriceStrings) {
  struct Case {
    const char* line;
    double amount;
    const char* currency;
  };
  const Case cases[] = {
      {R"({"price":"1,200.50"})", 1200.5, ""},
      {R"({"price":"$1,200"})", 1200, "USD"},
      {R"({"price":"1.200,50 €"})", 1200.5, "EUR"},
      {R"({"price":"£45"})", 45, "GBP"},
      {R"({"price":"¥3,000"})", 3000, "CNY"},
      {R"({"price":"250.000 ₫"})", 250000, "VND"},
      {R"({"price":"HK$ 300"})", 300, "HKD"},
      {R"({"price":"EUR 99,90"})", 99.9, "EUR"},
      // The currency field wins over the symbol in the price string, in either key order.
      {R"({"price":"$1,200","currency":"hkd"})", 1200, "HKD"},
      {R"({"currency":"HKD","price":"$1,200"})", 1200, "HKD"},
      {R"({"price":12,"currency":"€"})", 12, "EUR"},
  };
  for (const auto& c : cases) {
    const Record& r = ok(c.line);
    EXPECT_TRUE(r.present(id("price"))) << c.line;
    EXPECT_DOUBLE_EQ(r.number(id("price")), c.amount) << c.line;
    EXPECT_EQ(r.currency(id("price")), c.currency) << c.line;
  }
}

TEST_F(RecordTest, NonNumericPriceStringIsAbsentNotAnError) {
  for (const char* line : {R"({"price":"negotiable"})", R"({"price":""})", R"({"price":"call me"})"}) {
    const Record& r = ok(line);
    EXPECT_FALSE(r.present(id("price"))) << line;
  }
}

TEST_F(RecordTest, MoneyCurrencyComesFromSiblingEvenWhenUndeclared) {
  RecordSchema schema({{"price", stdlib::FieldType::kMoney}, {"shipping.price", stdlib::FieldType::kMoney}});
  RecordDecoder decoder(schema);
  Record r;
  ASSERT_TRUE(
      decoder.decode(R"({"price":5,"currency":"gbp","shipping":{"price":"7","currency":"EUR"}})", r).ok);
  EXPECT_EQ(r.currency(0), "GBP");
  EXPECT_EQ(r.currency(1), "EUR");
  EXPECT_DOUBLE_EQ(r.number(1), 7);
}

TEST_F(RecordTest, CustomDeclaredFields) {
  std::vector<stdlib::Field> fields = stdlib::default_fields();
  fields.push_back({"seller.account_age_days", stdlib::FieldType::kNumber});
  fields.push_back({"seller.verified", stdlib::FieldType::kBool});
  fields.push_back({"condition", stdlib::FieldType::kText, true});
  RecordSchema schema(fields);
  RecordDecoder decoder(schema);
  Record r;
  ASSERT_TRUE(
      decoder.decode(R"({"seller":{"account_age_days":37,"verified":true},"condition":"used"})", r).ok);
  EXPECT_DOUBLE_EQ(r.number(*schema.find("seller.account_age_days")), 37);
  EXPECT_TRUE(r.boolean(*schema.find("seller.verified")));
  EXPECT_EQ(r.text(*schema.find("condition")), "used");
  EXPECT_FALSE(r.present(*schema.find("seller.country")));

  DecodeError e = decoder.decode(R"({"seller":{"account_age_days":"37"}})", r);
  EXPECT_EQ(e.message, R"(field "seller.account_age_days": expected a number, got string)");
  e = decoder.decode(R"({"seller":{"verified":1}})", r);
  EXPECT_EQ(e.message, R"(field "seller.verified": expected a boolean, got number)");
}

TEST_F(RecordTest, HugeNumbersAreOutOfRange) {
  EXPECT_EQ(error(R"({"price":1e400})"), R"(field "price": number out of range)");
  EXPECT_EQ(error(R"({"price":-1e400})"), R"(field "price": number out of range)");
  RecordSchema schema({{"age", stdlib::FieldType::kNumber}});
  RecordDecoder decoder(schema);
  Record r;
  EXPECT_EQ(decoder.decode(R"({"age":1e999})", r).message, R"(field "age": number out of range)");
  // Underflow is zero, not an error.
  EXPECT_DOUBLE_EQ(ok(R"({"price":1e-400})").number(id("price")), 0);
}

TEST_F(RecordTest, DuplicateKeysLastWins) {
  EXPECT_EQ(ok(R"({"title":"shown first","title":"displayed"})").text(id("title")), "displayed");
  EXPECT_FALSE(ok(R"({"title":"a","title":null})").present(id("title")));
  EXPECT_EQ(ok(R"({"tags":["a","b"],"tags":["c"]})").text(id("tags")), "c");
  EXPECT_EQ(ok(R"({"seller":{"country":"VN"},"seller":{"id":"x"}})").text(id("seller.country")), "VN");
}

// Each key's last value wins, the price's and the currency's independently; a null unsays only
// its own key (issue: a null price used to drop the currency, a null currency the symbol's).
TEST_F(RecordTest, RepeatedMoneyKeysWithNullKeepTheOtherKeysCurrency) {
  struct Case {
    const char* line;
    double amount;  // NaN: absent
    const char* currency;
  };
  const Case cases[] = {
      {R"({"currency":"EUR","price":null,"price":5000})", 5000, "EUR"},
      {R"({"price":null,"currency":"EUR","price":5000})", 5000, "EUR"},
      {R"({"price":"$5000","currency":"HKD","currency":null})", 5000, "USD"},
      {R"({"price":"$5","currency":null})", 5, "USD"},
      {R"({"currency":"HKD","currency":null,"price":7})", 7, ""},
      {R"({"price":"$5","price":7})", 7, ""},  // the symbol went with its price
      {R"({"price":"$5","price":"€6"})", 6, "EUR"},
      {R"({"currency":"GBP","price":"$5","price":null,"price":"8"})", 8, "GBP"},
  };
  for (const auto& c : cases) {
    const Record& r = ok(c.line);
    EXPECT_TRUE(r.present(id("price"))) << c.line;
    EXPECT_DOUBLE_EQ(r.number(id("price")), c.amount) << c.line;
    EXPECT_EQ(r.currency(id("price")), c.currency) << c.line;
  }
}

// simdjson's type() reads one byte; a bare word is not null or a boolean because it starts so.
TEST_F(RecordTest, BareWordsAreInvalidJsonNotNullOrBoolean) {
  const std::string bad = "invalid JSON: a bare word that is not true, false or null";
  for (const char* line :
       {R"({"title":nul,"description":"ivory"})", R"({"title":n})", R"({"title":nulx})", R"({"title":tru})",
        R"({"title":fals})", R"({"title":truex})", R"({"id":nul})", R"({"price":nul})", R"({"currency":n})",
        R"({"tags":["a",nul]})", R"({"tags":[tru]})", R"({"seller":nul})"}) {
    EXPECT_EQ(error(line), bad) << line;
  }
  // The real literals keep their meaning.
  EXPECT_FALSE(ok(R"({"title":null,"description":"x"})").present(id("title")));
  EXPECT_EQ(error(R"({"title":true})"), "field \"title\": expected a string, got boolean");
  EXPECT_EQ(ok(R"({"tags":["a",null,"b"]})").text(id("tags")), "a\nb");
}

// Fields a pack does not read are skipped like unknown keys, whatever their values' types.
TEST(RecordSchemaTest, UnreadFieldsAreSkippedWhateverTheirType) {
  const auto fields = stdlib::default_fields();
  std::uint64_t title_only = 0;
  for (FieldId f = 0; f < fields.size(); ++f) {
    if (fields[f].path == "title" || fields[f].path == "id") title_only |= std::uint64_t{1} << f;
  }
  RecordSchema schema(fields, title_only);
  RecordDecoder decoder(schema);
  Record r;
  const char* line = R"({"id":"a1","title":"ivory","category":12,"location":{"lat":1,"lon":2},)"
                     R"("price":{"v":1},"currency":5,"tags":7,"seller":"x"})";
  const DecodeError e = decoder.decode(line, r);
  ASSERT_TRUE(e.ok) << e.message;
  EXPECT_EQ(r.id, "a1");
  EXPECT_EQ(r.text(*schema.find("title")), "ivory");
  EXPECT_FALSE(r.present(*schema.find("category")));
  EXPECT_FALSE(r.present(*schema.find("location")));
  // The same line is an error for a schema that reads everything.
  RecordSchema all(fields);
  RecordDecoder all_decoder(all);
  EXPECT_FALSE(all_decoder.decode(line, r).ok);
}

TEST_F(RecordTest, WholeLineErrors) {
  EXPECT_EQ(error(""), "empty line");
  EXPECT_EQ(error("  \t\r"), "empty line");
  EXPECT_EQ(error("42"), "not a JSON object");
  EXPECT_EQ(error(R"(["a"])"), "not a JSON object");
  EXPECT_EQ(error(R"("text")"), "not a JSON object");
  EXPECT_EQ(error("null"), "not a JSON object");
  EXPECT_EQ(error("{\"title\":\"\xff\"}"), "invalid UTF-8");
  // Invalid UTF-8 anywhere in the line, even in a field Tusk does not read.
  EXPECT_EQ(error("{\"other\":\"\xc3\x28\",\"title\":\"ok\"}"), "invalid UTF-8");
  EXPECT_EQ(error(R"({"title":"x"} {"title":"y"})"), "invalid JSON: content after the JSON object");
  EXPECT_EQ(error(R"({"title":"x")").rfind("invalid JSON: ", 0), 0u);
  EXPECT_EQ(error(R"({"title":"x",})").rfind("invalid JSON: ", 0), 0u);
  EXPECT_EQ(error(R"({title:"x"})").rfind("invalid JSON: ", 0), 0u);
  EXPECT_EQ(error("hello").rfind("invalid JSON: ", 0), 0u);
}

TEST_F(RecordTest, DeepNestingNeverCrashes) {
  std::string deep1000 = R"({"x":)" + std::string(1000, '[') + std::string(1000, ']') + R"(,"title":"t"})";
  EXPECT_EQ(ok(deep1000).text(id("title")), "t");
  std::string deep_objects = R"({"x":)";
  for (int i = 0; i < 1000; ++i) deep_objects += R"({"a":)";
  deep_objects += "1" + std::string(1000, '}') + R"(,"title":"t"})";
  EXPECT_EQ(ok(deep_objects).text(id("title")), "t");
  std::string unbalanced = R"({"x":)" + std::string(100000, '[') + R"(,"title":"t"})";
  EXPECT_EQ(error(unbalanced).rfind("invalid JSON: ", 0), 0u);
  // Deep nesting inside a field the pack reads is a type error, not a descent.
  std::string deep_title = R"({"title":)" + std::string(1000, '[') + std::string(1000, ']') + "}";
  EXPECT_EQ(error(deep_title), R"(field "title": expected a string, got array)");
}

TEST_F(RecordTest, TenMegabyteField) {
  std::string big(static_cast<std::size_t>(10 * 1024) * 1024, 'a');
  const Record& r = ok(R"({"id":1,"description":")" + big + R"(","title":"t"})");
  EXPECT_EQ(r.text(id("description")).size(), big.size());
  EXPECT_EQ(r.text(id("title")), "t");
}

TEST_F(RecordTest, EscapedNulIsKeptInsideText) {
  const Record& r = ok(R"({"title":"a\u0000b","tags":["x\u0000"]})");
  EXPECT_EQ(r.text(id("title")), std::string_view("a\0b", 3));
  EXPECT_EQ(r.element(id("tags"), 0), std::string_view("x\0", 2));
}

TEST_F(RecordTest, EscapedKeysMatch) { EXPECT_EQ(ok(R"({"ti\u0074le":"t"})").text(id("title")), "t"); }

TEST_F(RecordTest, BuildersMakeRecordsWithoutJson) {
  Record r;
  r.clear(3);
  r.set_text(0, "hello");
  r.set_money(1, 9.5, "EUR");
  r.set_text_list(2, {"a", "bc"});
  EXPECT_EQ(r.text(0), "hello");
  EXPECT_EQ(r.currency(1), "EUR");
  EXPECT_EQ(r.text(2), "a\nbc");
  EXPECT_EQ(r.element(2, 1), "bc");
  r.set_absent(0);
  EXPECT_FALSE(r.present(0));
}

// ------------------------------------------------------------------ posts (docs/records.md, "Posts")

TEST_F(RecordTest, ShapeFieldSaysHowTheLineWasRead) {
  EXPECT_EQ(ok(R"({"title":"t"})").text(id("shape")), "listing");
  decoder_.set_shape(RecordShape::kPost);
  EXPECT_EQ(ok(R"({"text":"t"})").text(id("shape")), "post");
  // The field is the decoder's, never the line's: a `shape` key is an unknown key.
  EXPECT_EQ(ok(R"({"text":"t","shape":"listing"})").text(id("shape")), "post");
  EXPECT_EQ(ok(R"({"text":"t","shape":42})").text(id("shape")), "post");
}

TEST_F(RecordTest, PostKeysAreReadAsTheListingFields) {
  decoder_.set_shape(RecordShape::kPost);
  const Record& r = ok(
      R"({"id":1234567890123456789,"text":"carved bangle, DM me","author":{"id":"u-7","description":"collector",)"
      R"("name":"not read","followers":12},"created_at":"2026-10-30T08:00:00Z","url":"https://x.test/p/1"})");
  EXPECT_EQ(r.id, "1234567890123456789");
  EXPECT_EQ(r.text(id("title")), "carved bangle, DM me");
  EXPECT_EQ(r.text(id("seller.id")), "u-7");
  EXPECT_EQ(r.text(id("seller.description")), "collector");
  EXPECT_EQ(r.text(id("posted_at")), "2026-10-30T08:00:00Z");
  EXPECT_EQ(r.text(id("url")), "https://x.test/p/1");
  EXPECT_FALSE(r.present(id("seller.country")));
  EXPECT_FALSE(r.present(id("description")));
}

TEST_F(RecordTest, PostMayUseTheListingKeysInstead) {
  decoder_.set_shape(RecordShape::kPost);
  const Record& r = ok(R"({"title":"t","seller":{"description":"d"},"posted_at":"p","price":"$5"})");
  EXPECT_EQ(r.text(id("title")), "t");
  EXPECT_EQ(r.text(id("seller.description")), "d");
  EXPECT_EQ(r.text(id("posted_at")), "p");
  EXPECT_DOUBLE_EQ(r.number(id("price")), 5);
}

TEST_F(RecordTest, PostMissingAndNullFieldsAreAbsent) {
  decoder_.set_shape(RecordShape::kPost);
  const Record& r = ok(R"({"id":"p1","text":null,"author":{"id":null}})");
  EXPECT_FALSE(r.present(id("title")));
  EXPECT_FALSE(r.present(id("seller.id")));
  EXPECT_FALSE(r.present(id("seller.description")));
  const Record& empty = ok(R"({"id":"p2"})");
  EXPECT_FALSE(empty.present(id("title")));
  EXPECT_TRUE(empty.present(id("shape")));
  const Record& no_author = ok(R"({"text":"x","author":null})");
  EXPECT_EQ(no_author.text(id("title")), "x");
  EXPECT_FALSE(no_author.present(id("seller.description")));
}

TEST_F(RecordTest, PostFieldsOfTheWrongTypeAreErrorsNamedByThePostKey) {
  decoder_.set_shape(RecordShape::kPost);
  EXPECT_EQ(error(R"({"text":42})"), R"(field "text": expected a string, got number)");
  EXPECT_EQ(error(R"({"text":["a"]})"), R"(field "text": expected a string, got array)");
  EXPECT_EQ(error(R"({"text":"x","author":"someone"})"), R"(field "author": expected an object, got string)");
  EXPECT_EQ(error(R"({"text":"x","author":["a"]})"), R"(field "author": expected an object, got array)");
  EXPECT_EQ(error(R"({"text":"x","author":{"description":7}})"),
            R"(field "author.description": expected a string, got number)");
  EXPECT_EQ(error(R"({"text":"x","author":{"id":true}})"),
            R"(field "author.id": expected a string, got boolean)");
  EXPECT_EQ(error(R"({"text":"x","created_at":1700000000})"),
            R"(field "created_at": expected a string, got number)");
  EXPECT_EQ(error(R"({"text":nul})"), "invalid JSON: a bare word that is not true, false or null");
}

TEST_F(RecordTest, PostWithBothKeysOfAPairIsAnError) {
  decoder_.set_shape(RecordShape::kPost);
  EXPECT_EQ(error(R"({"title":"a","text":"b"})"), R"(a post has both "text" and "title": give one of them)");
  EXPECT_EQ(error(R"({"text":"b","title":"a"})"), R"(a post has both "text" and "title": give one of them)");
  EXPECT_EQ(error(R"({"text":"b","author":{},"seller":{}})"),
            R"(a post has both "author" and "seller": give one of them)");
  EXPECT_EQ(error(R"({"text":"b","created_at":"x","posted_at":"y"})"),
            R"(a post has both "created_at" and "posted_at": give one of them)");
  // An empty string is a value: it is given.
  EXPECT_EQ(error(R"({"text":"b","title":""})"), R"(a post has both "text" and "title": give one of them)");
  // null unsays a key (last key wins), so one of the pair is left.
  EXPECT_EQ(ok(R"({"title":null,"text":"b"})").text(id("title")), "b");
  EXPECT_EQ(ok(R"({"title":"a","title":null,"text":"b"})").text(id("title")), "b");
  EXPECT_EQ(ok(R"({"text":"b","author":{"id":"u"},"seller":null})").text(id("seller.id")), "u");
}

TEST_F(RecordTest, PostPairsAreCheckedEvenWhenThePackDoesNotReadThem) {
  // A pack that reads only the description: the title/text conflict is still the record's.
  const auto fields = stdlib::default_fields();
  std::uint64_t read = 0;
  for (stdlib::FieldId f = 0; f < fields.size(); ++f) {
    if (fields[f].path == "description") read |= std::uint64_t{1} << f;
  }
  RecordSchema schema(fields, read);
  RecordDecoder decoder(schema);
  decoder.set_shape(RecordShape::kPost);
  Record r;
  EXPECT_EQ(decoder.decode(R"({"title":"a","text":"b","description":"d"})", r).message,
            R"(a post has both "text" and "title": give one of them)");
  EXPECT_TRUE(decoder.decode(R"({"text":7,"description":"d"})", r).ok);  // `text` unread: not validated
}

TEST_F(RecordTest, ListingWithTextAndNoTitleIsAnError) {
  EXPECT_EQ(error(R"({"text":"ivory bangle","author":{"description":"d"}})"),
            R"("text" and no "title": a post, to be read with the post record shape (--record-shape post))");
  // With a title, `text` and `author` are unknown keys of a listing, as before.
  const Record& r = ok(R"({"title":"t","text":"x","author":{"description":"d"}})");
  EXPECT_EQ(r.text(id("title")), "t");
  EXPECT_FALSE(r.present(id("seller.description")));
  EXPECT_EQ(ok(R"({"text":null,"price":5})").number(id("price")), 5);
}

TEST_F(RecordTest, DecoderShapeCanChangeBetweenLines) {
  decoder_.set_shape(RecordShape::kPost);
  EXPECT_EQ(ok(R"({"text":"a"})").text(id("title")), "a");
  decoder_.set_shape(RecordShape::kListing);
  EXPECT_FALSE(ok(R"({"title":"t","author":{"description":"d"}})").present(id("seller.description")));
}

}  // namespace
}  // namespace tusk::runtime
