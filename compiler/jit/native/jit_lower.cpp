// Plan -> LLVM IR. One function evaluates a whole batch (a call per record costs about three
// times a loop iteration). Every node lowers to a double (and a currency for money) exactly as
// the interpreter computes it; booleans stay i1 until a number is needed. And/Or short-circuit
// in the plan's order, never reordered, so host calls happen as in the interpreter.
#include "compiler/jit/native/jit_lower.h"

#include <bit>
#include <cstddef>
#include <limits>

#include <fmt/format.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/Support/xxhash.h>

#include "stdlib/functions.h"

namespace tusk::compiler::jit {
namespace {

static_assert(offsetof(plan::EvalRecord, present) == 0);
static_assert(offsetof(plan::EvalRecord, numbers) == 8);
static_assert(offsetof(plan::EvalRecord, currencies) == 16);
static_assert(offsetof(plan::EvalRecord, slot_fields) == 24);
static_assert(offsetof(plan::EvalRecord, host) == 32);
static_assert(offsetof(plan::EvalRecord, state) == 40);
static_assert(offsetof(plan::EvalRecord, hit_counts) == 48);
static_assert(offsetof(plan::EvalRecord, text_lengths) == 56);
static_assert(offsetof(plan::EvalRecord, term_bits) == 64);
static_assert(sizeof(plan::EvalRecord) == 72);
static_assert(offsetof(JitOut, score) == 16 && offsetof(JitOut, branch) == 24);
static_assert(offsetof(JitOut, account_branch) == 28 && offsetof(JitOut, effects) == 32);

static_assert(offsetof(stdlib::CallArgs, record) == 0 && offsetof(stdlib::CallArgs, scope) == 8);
static_assert(offsetof(stdlib::CallArgs, slots) == 16 && offsetof(stdlib::CallArgs, field) == 24);
static_assert(offsetof(stdlib::CallArgs, values) == 32 && offsetof(stdlib::CallArgs, constant) == 40);
static_assert(stdlib::kMaxCallSlots == 2 && stdlib::kMaxCallValues == 1);

// A lowered value: `num` is i1 when `is_bool`, else double; `currency` is null for "-1".
struct Val {
  llvm::Value* num = nullptr;
  bool is_bool = false;
  llvm::Value* currency = nullptr;
};

class Lowering {
 public:
  Lowering(const plan::Plan& plan, llvm::LLVMContext& ctx, llvm::Module& module)
      : plan_(plan), ctx_(ctx), module_(module), b_(ctx) {
    i1_ = b_.getInt1Ty();
    i8_ = b_.getInt8Ty();
    i32_ = b_.getInt32Ty();
    i64_ = b_.getInt64Ty();
    f64_ = b_.getDoubleTy();
    ptr_ = b_.getPtrTy();
    record_ty_ = llvm::StructType::create(ctx, {i64_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_},
                                          "tusk.EvalRecord");
    out_ty_ = llvm::StructType::create(ctx, {ptr_, ptr_, f64_, i32_, i32_, ptr_}, "tusk.JitOut");
    args_ty_ = llvm::StructType::create(
        ctx, {ptr_, i64_, llvm::ArrayType::get(i32_, 2), i32_, i32_, llvm::ArrayType::get(f64_, 1), f64_},
        "tusk.CallArgs");
  }

  void run() {
    declare_host();
    auto* fn_ty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, i64_, ptr_}, false);
    fn_ = llvm::Function::Create(fn_ty, llvm::Function::ExternalLinkage, kBatchSymbol, module_);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::Argument* recs = fn_->getArg(0);
    llvm::Argument* count = fn_->getArg(1);
    llvm::Argument* outs = fn_->getArg(2);
    recs->setName("records");
    count->setName("count");
    outs->setName("out");
    for (unsigned i = 0; i < 3; ++i) fn_->addParamAttr(i, llvm::Attribute::NoUndef);
    fn_->addParamAttr(0, llvm::Attribute::ReadOnly);
    fn_->addParamAttr(0, llvm::Attribute::NoAlias);
    fn_->addParamAttr(2, llvm::Attribute::NoAlias);

    auto* entry = block("entry");
    auto* loop = block("record");
    auto* exit = block("exit");
    b_.SetInsertPoint(entry);
    b_.CreateCondBr(b_.CreateICmpEQ(count, b_.getInt64(0)), exit, loop);

    b_.SetInsertPoint(loop);
    llvm::PHINode* i = b_.CreatePHI(i64_, 2, "i");
    i->addIncoming(b_.getInt64(0), entry);
    llvm::Value* rec = b_.CreateInBoundsGEP(record_ty_, recs, i, "rec");
    present_ = load(i64_, b_.CreateStructGEP(record_ty_, rec, 0), "present");
    numbers_ = load(ptr_, b_.CreateStructGEP(record_ty_, rec, 1), "numbers");
    currencies_ = load(ptr_, b_.CreateStructGEP(record_ty_, rec, 2), "currencies");
    slot_fields_ = load(ptr_, b_.CreateStructGEP(record_ty_, rec, 3), "slot_fields");
    host_ = load(ptr_, b_.CreateStructGEP(record_ty_, rec, 4), "host");
    // Only a stateful plan reads the state pointer: stateless code stays as it was.
    state_ =
        plan_.state_reads.empty() ? nullptr : load(ptr_, b_.CreateStructGEP(record_ty_, rec, 5), "state");
    action_ = nullptr;
    rec_ = rec;
    hit_counts_ = nullptr;
    text_lengths_ = nullptr;
    term_bits_ = nullptr;
    llvm::Value* out = b_.CreateInBoundsGEP(out_ty_, outs, i, "out.rec");
    llvm::Value* fired_out = load(ptr_, b_.CreateStructGEP(out_ty_, out, 0), "fired");
    llvm::Value* suggested_out = load(ptr_, b_.CreateStructGEP(out_ty_, out, 1), "suggested");

    score_ = nullptr;  // `score` is read in decide only (the checker's rule), after every rule
    fired_.assign(plan_.rules.size(), nullptr);
    for (std::size_t r = 0; r < plan_.rules.size(); ++r) {
      const plan::PlanRule& rule = plan_.rules[r];
      auto* start = block(fmt::format("rule.{}", rule.name));
      b_.CreateBr(start);
      b_.SetInsertPoint(start);
      llvm::Value* fired = as_bool(emit(rule.when));
      fired->setName(fmt::format("fired.{}", rule.name));
      b_.CreateStore(b_.CreateZExt(fired, i8_), b_.CreateConstInBoundsGEP1_64(i8_, fired_out, r));
      fired_[r] = fired;
    }
    score_ = fired_score(fired_out);
    b_.CreateStore(score_, b_.CreateStructGEP(out_ty_, out, 2));

    // decide: first match wins; `otherwise` always matches.
    auto* decided = block("decided");
    std::vector<std::pair<llvm::BasicBlock*, std::int32_t>> taken;
    bool closed = false;  // an `otherwise` ended the chain: no fall-through to "no branch"
    for (std::size_t d = 0; d < plan_.decide.size() && !closed; ++d) {
      const plan::PlanBranch& branch = plan_.decide[d];
      auto* test = block(fmt::format("decide.{}", d));
      b_.CreateBr(test);
      b_.SetInsertPoint(test);
      if (branch.otherwise) {
        taken.emplace_back(b_.GetInsertBlock(), static_cast<std::int32_t>(d));
        closed = true;
        continue;
      }
      llvm::Value* cond = as_bool(emit(branch.when));
      auto* next = block(fmt::format("decide.{}.else", d));
      taken.emplace_back(b_.GetInsertBlock(), static_cast<std::int32_t>(d));
      b_.CreateCondBr(cond, decided, next);
      b_.SetInsertPoint(next);
    }
    if (!closed) taken.emplace_back(b_.GetInsertBlock(), -1);
    b_.CreateBr(decided);
    b_.SetInsertPoint(decided);
    llvm::PHINode* branch = b_.CreatePHI(i32_, static_cast<unsigned>(taken.size()), "branch");
    for (const auto& [from, value] : taken) {
      branch->addIncoming(b_.getInt32(static_cast<std::uint32_t>(value)), from);
    }
    if (plan_uses_action()) {
      // The decided action as a number, for Op::kAction in the post-decide conditions.
      llvm::PHINode* action = b_.CreatePHI(f64_, static_cast<unsigned>(taken.size()), "action");
      for (const auto& [from, value] : taken) {
        const stdlib::Action a =
            value >= 0 ? plan_.decide[static_cast<std::size_t>(value)].action : stdlib::Action::kAllow;
        action->addIncoming(llvm::ConstantFP::get(f64_, static_cast<double>(a)), from);
      }
      action_ = action;
    }
    b_.CreateStore(branch, b_.CreateStructGEP(out_ty_, out, 3));

    // Suggestions see the final score, after decide, as in the interpreter.
    for (std::size_t s = 0; s < plan_.suggestions.size(); ++s) {
      auto* start = block(fmt::format("suggest.{}", s));
      b_.CreateBr(start);
      b_.SetInsertPoint(start);
      llvm::Value* on = as_bool(emit(plan_.suggestions[s].when));
      b_.CreateStore(b_.CreateZExt(on, i8_), b_.CreateConstInBoundsGEP1_64(i8_, suggested_out, s));
    }

    lower_post_decide(out);

    llvm::Value* next = b_.CreateAdd(i, b_.getInt64(1), "i.next", /*HasNUW=*/true);
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpULT(next, count), loop, exit);
    b_.SetInsertPoint(exit);
    b_.CreateRetVoid();
  }

 private:
  bool plan_uses_action() const {
    for (const plan::Node& n : plan_.nodes) {
      if (n.op == plan::Op::kAction) return true;
    }
    return false;
  }

  // The sum of the fired rules' scores, added in rule order as the interpreter adds them (so
  // the same double, -0 and rounding included). A running `select(fired, score + s, score)` per
  // rule made every rule, fired or not, wait for the previous rule's add (~4 cycles each, most
  // of the code's time on a pack of a few hundred rules that rarely fire); instead the fired
  // bits are gathered into 64-bit words and only the set bits are visited.
  //
  // The bits are read back from the fired bytes just stored at `fired_out`, eight at a time (a
  // multiply moves each byte's 0/1 into one bit of the top byte), not taken from each rule's i1:
  // kept live until here, those were spilled once per rule, and with the gathering that was 40%
  // of the code every listing runs through, more than the instruction cache held
  // (docs/performance.md).
  llvm::Value* fired_score(llvm::Value* fired_out) {
    llvm::Value* score = llvm::ConstantFP::get(f64_, 0.0);
    const std::size_t rules = plan_.rules.size();
    if (rules == 0) return score;
    std::vector<double> scores;
    for (const plan::PlanRule& rule : plan_.rules) scores.push_back(rule.score);
    auto* table_ty = llvm::ArrayType::get(f64_, rules);
    auto* table = new llvm::GlobalVariable(module_, table_ty, true, llvm::GlobalValue::PrivateLinkage,
                                           llvm::ConstantDataArray::get(ctx_, llvm::ArrayRef<double>(scores)),
                                           "rule_score");
    table->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    const bool little = module_.getDataLayout().isLittleEndian();
    for (std::size_t first = 0; first < rules; first += 64) {
      llvm::Value* word = b_.getInt64(0);
      std::size_t k = 0;
      for (; little && k + 8 <= 64 && first + k + 8 <= rules; k += 8) {
        // Byte i of the eight (0 or 1, at bit 8i) lands at bit 56 + i; no two partial products
        // meet, so nothing carries.
        auto* eight = b_.CreateAlignedLoad(i64_, b_.CreateConstInBoundsGEP1_64(i8_, fired_out, first + k),
                                           llvm::MaybeAlign(1));
        llvm::Value* gathered = b_.CreateLShr(b_.CreateMul(eight, b_.getInt64(0x0102040810204080ull)), 56);
        word = b_.CreateOr(word, b_.CreateShl(gathered, k));
      }
      for (; k < 64 && first + k < rules; ++k) {
        word = b_.CreateOr(word, b_.CreateShl(b_.CreateZExt(fired_[first + k], i64_), k));
      }
      auto* from = b_.GetInsertBlock();
      auto* test = block("score.test");
      auto* add = block("score.add");
      auto* done = block("score.done");
      b_.CreateBr(test);
      b_.SetInsertPoint(test);
      llvm::PHINode* bits = b_.CreatePHI(i64_, 2, "score.bits");
      llvm::PHINode* sum = b_.CreatePHI(f64_, 2, "score");
      b_.CreateCondBr(b_.CreateICmpEQ(bits, b_.getInt64(0)), done, add);
      b_.SetInsertPoint(add);
      llvm::Value* bit = b_.CreateBinaryIntrinsic(llvm::Intrinsic::cttz, bits, b_.getTrue());
      llvm::Value* at = b_.CreateAdd(bit, b_.getInt64(first));
      llvm::Value* s = load(f64_, b_.CreateInBoundsGEP(table_ty, table, {b_.getInt64(0), at}));
      llvm::Value* next_sum = b_.CreateFAdd(sum, s);
      llvm::Value* next_bits = b_.CreateAnd(bits, b_.CreateSub(bits, b_.getInt64(1)));
      b_.CreateBr(test);
      bits->addIncoming(word, from);
      bits->addIncoming(next_bits, add);
      sum->addIncoming(score, from);
      sum->addIncoming(next_sum, add);
      b_.SetInsertPoint(done);
      score = sum;
    }
    return score;
  }

  // Counters, labels and `decide account`, as the interpreter evaluates them after decide.
  void lower_post_decide(llvm::Value* out) {
    const std::size_t effects = plan_.counters.size() + plan_.labels.size();
    if (effects == 0 && !plan_.has_account) return;
    llvm::Value* effects_out =
        effects == 0 ? nullptr : load(ptr_, b_.CreateStructGEP(out_ty_, out, 5), "effects");
    for (std::size_t e = 0; e < effects; ++e) {
      const bool counter = e < plan_.counters.size();
      const plan::NodeId when =
          counter ? plan_.counters[e].when : plan_.labels[e - plan_.counters.size()].when;
      auto* start = block(fmt::format("{}.{}", counter ? "counter" : "label", e));
      b_.CreateBr(start);
      b_.SetInsertPoint(start);
      llvm::Value* on = as_bool(emit(when));
      b_.CreateStore(b_.CreateZExt(on, i8_), b_.CreateConstInBoundsGEP1_64(i8_, effects_out, e));
    }
    if (!plan_.has_account) return;
    auto* decided = block("account.decided");
    std::vector<std::pair<llvm::BasicBlock*, std::int32_t>> taken;
    bool closed = false;
    for (std::size_t a = 0; a < plan_.account.size() && !closed; ++a) {
      const plan::PlanAccountBranch& branch = plan_.account[a];
      auto* test = block(fmt::format("account.{}", a));
      b_.CreateBr(test);
      b_.SetInsertPoint(test);
      if (branch.otherwise) {
        taken.emplace_back(b_.GetInsertBlock(), static_cast<std::int32_t>(a));
        closed = true;
        continue;
      }
      llvm::Value* cond = as_bool(emit(branch.when));
      auto* next = block(fmt::format("account.{}.else", a));
      taken.emplace_back(b_.GetInsertBlock(), static_cast<std::int32_t>(a));
      b_.CreateCondBr(cond, decided, next);
      b_.SetInsertPoint(next);
    }
    if (!closed) taken.emplace_back(b_.GetInsertBlock(), -1);
    b_.CreateBr(decided);
    b_.SetInsertPoint(decided);
    llvm::PHINode* branch = b_.CreatePHI(i32_, static_cast<unsigned>(taken.size()), "account.branch");
    for (const auto& [from, value] : taken) {
      branch->addIncoming(b_.getInt32(static_cast<std::uint32_t>(value)), from);
    }
    b_.CreateStore(branch, b_.CreateStructGEP(out_ty_, out, 4));
  }

  // Natural alignment, stated explicitly: the module has no data layout while it is lowered.
  llvm::Value* load(llvm::Type* ty, llvm::Value* ptr, const llvm::Twine& name = "") {
    return b_.CreateAlignedLoad(ty, ptr, llvm::Align(ty->isIntegerTy(32) ? 4 : 8), name);
  }
  llvm::BasicBlock* block(const std::string& name) { return llvm::BasicBlock::Create(ctx_, name, fn_); }

  void declare_host() {
    auto declare = [&](const std::string& name, llvm::Type* ret, const std::vector<llvm::Type*>& params) {
      auto* f = llvm::Function::Create(llvm::FunctionType::get(ret, params, false),
                                       llvm::Function::ExternalLinkage, name, module_);
      f->addFnAttr(llvm::Attribute::NoUnwind);
      // Host functions read the record but never write memory the generated code sees.
      f->setOnlyReadsMemory();
      if (ret == i1_) f->addRetAttr(llvm::Attribute::ZExt);
      return f;
    };
    text_in_set_ = declare(kTextInSetSymbol, i1_, {ptr_, i32_, i32_});
    text_fields_eq_ = declare(kTextFieldsEqSymbol, i1_, {ptr_, i32_, i32_});
  }

  // A built-in's C-ABI entry, `double tusk_fn_<name>(const CallArgs*)`, declared on first use.
  llvm::Function* builtin(const stdlib::FunctionDecl& fn) {
    if (builtins_.size() <= fn.id) builtins_.resize(fn.id + 1, nullptr);
    if (builtins_[fn.id] == nullptr) {
      auto* f = llvm::Function::Create(llvm::FunctionType::get(f64_, {ptr_}, false),
                                       llvm::Function::ExternalLinkage, std::string(fn.symbol), module_);
      f->addFnAttr(llvm::Attribute::NoUnwind);
      f->setOnlyReadsMemory();
      f->addParamAttr(0, llvm::Attribute::NoCapture);
      f->addParamAttr(0, llvm::Attribute::ReadOnly);
      builtins_[fn.id] = f;
    }
    return builtins_[fn.id];
  }

  // Every built-in the same way: fill the CallArgs block (one per batch function, on the stack)
  // and call the entry. Booleans come back as 0/1, money keeps the currency of its operand.
  Val call(const plan::Node& n) {
    const stdlib::FunctionDecl& fn = stdlib::function(stdlib::FunctionId{n.fn});
    if (fn.record_array == stdlib::RecordArray::kHitCount ||
        fn.record_array == stdlib::RecordArray::kTextLength) {
      return record_array_sum(fn.record_array, n);
    }
    if (fn.record_array == stdlib::RecordArray::kTermBits && n.index < plan_.slots.size() &&
        !plan_.slots[n.index].is_regex && plan_.slots[n.index].terms.size() <= stdlib::kTermBitsMax) {
      return term_bits_count(n);
    }
    bool has_value = false;
    for (stdlib::Param p : fn.params) {
      has_value = has_value || p == stdlib::Param::kNumber || p == stdlib::Param::kMoney;
    }
    Val value;
    if (has_value) value = emit(n.a);
    if (args_ == nullptr) {
      llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
      args_ = entry.CreateAlloca(args_ty_, nullptr, "call.args");
      args_->setAlignment(llvm::Align(8));
    }
    auto field = [&](unsigned i) { return b_.CreateStructGEP(args_ty_, args_, i); };
    auto store = [&](llvm::Value* v, llvm::Value* at) {
      b_.CreateAlignedStore(v, at, llvm::Align(v->getType()->isIntegerTy(32) ? 4 : 8));
    };
    store(host_, field(0));
    store(b_.getInt64(n.mask), field(1));
    store(i32(n.index), b_.CreateConstInBoundsGEP2_32(args_ty_->getElementType(2), field(2), 0, 0));
    store(i32(n.index2), b_.CreateConstInBoundsGEP2_32(args_ty_->getElementType(2), field(2), 0, 1));
    store(i32(n.field), field(3));
    store(has_value ? as_num(value) : llvm::ConstantFP::get(f64_, 0.0),
          b_.CreateConstInBoundsGEP2_32(args_ty_->getElementType(5), field(5), 0, 0));
    store(llvm::ConstantFP::get(f64_, n.num), field(6));
    llvm::Value* result = b_.CreateCall(builtin(fn), {args_}, fmt::format("fn.{}", fn.name));
    switch (fn.result) {
      case stdlib::Result::kBool:
        return truth(b_.CreateFCmpUNE(result, llvm::ConstantFP::get(f64_, 0.0)));
      case stdlib::Result::kMoney:
        return number(result, value.currency);
      case stdlib::Result::kNumber:
        break;
    }
    return number(result);
  }

  // count() and len() as the sum of their scope's entries of an EvalRecord array: a load per
  // field (the scope is a constant), integer adds, one conversion; the same value as the
  // built-in's sum of doubles, since the counts are integers far below 2^53.
  Val record_array_sum(stdlib::RecordArray kind, const plan::Node& n) {
    const bool hits = kind == stdlib::RecordArray::kHitCount;
    llvm::Value* base =
        hits ? record_array(hit_counts_, 6, "hit_counts") : record_array(text_lengths_, 7, "text_lengths");
    const std::uint64_t fields = plan_.fields.size();
    llvm::Value* sum = b_.getInt64(0);
    for (stdlib::FieldMask s = n.mask; s != 0; s &= s - 1) {
      const auto f = static_cast<std::uint64_t>(std::countr_zero(s));
      if (f >= fields) continue;
      const std::uint64_t at = hits ? n.index * fields + f : f;
      llvm::Value* v = load(i32_, b_.CreateConstInBoundsGEP1_64(i32_, base, at));
      sum = b_.CreateAdd(sum, b_.CreateZExt(v, i64_));
    }
    return number(b_.CreateUIToFP(sum, f64_, hits ? "count" : "len"));
  }

  // count_distinct() over a lexicon of at most 64 terms: the terms seen in the scope's fields,
  // OR-ed, counted.
  Val term_bits_count(const plan::Node& n) {
    llvm::Value* base = record_array(term_bits_, 8, "term_bits");
    const std::uint64_t fields = plan_.fields.size();
    llvm::Value* seen = b_.getInt64(0);
    for (stdlib::FieldMask s = n.mask; s != 0; s &= s - 1) {
      const auto f = static_cast<std::uint64_t>(std::countr_zero(s));
      if (f >= fields) continue;
      seen = b_.CreateOr(seen, load(i64_, b_.CreateConstInBoundsGEP1_64(i64_, base, n.index * fields + f)));
    }
    llvm::Value* count = b_.CreateUnaryIntrinsic(llvm::Intrinsic::ctpop, seen);
    return number(b_.CreateUIToFP(count, f64_, "count_distinct"));
  }

  // An array pointer of this record's EvalRecord (field `index`), loaded once per record in the
  // record loop's first block (after `present`), so that it dominates every use.
  llvm::Value* record_array(llvm::Value*& cached, unsigned index, const char* name) {
    if (cached == nullptr) {
      llvm::IRBuilder<> at(llvm::cast<llvm::Instruction>(present_)->getNextNode());
      cached = at.CreateAlignedLoad(ptr_, at.CreateStructGEP(record_ty_, rec_, index), llvm::Align(8), name);
    }
    return cached;
  }

  llvm::Value* as_bool(const Val& v) {
    if (v.is_bool) return v.num;
    // The interpreter's `num != 0`: NaN counts as true.
    return b_.CreateFCmpUNE(v.num, llvm::ConstantFP::get(f64_, 0.0));
  }
  llvm::Value* as_num(const Val& v) { return v.is_bool ? b_.CreateUIToFP(v.num, f64_) : v.num; }
  Val truth(llvm::Value* v) { return {v, true, nullptr}; }
  Val number(llvm::Value* v, llvm::Value* currency = nullptr) { return {v, false, currency}; }
  llvm::Value* nan() { return llvm::ConstantFP::get(f64_, std::numeric_limits<double>::quiet_NaN()); }
  llvm::Value* i32(std::uint32_t v) { return b_.getInt32(v); }

  llvm::Value* field_present(std::uint32_t field) {
    llvm::Value* bit = b_.CreateAnd(present_, b_.getInt64(std::uint64_t{1} << field));
    return b_.CreateICmpNE(bit, b_.getInt64(0), fmt::format("has.{}", field));
  }

  // The field's number, or NaN without loading it when the field is absent.
  llvm::Value* field_number(std::uint32_t field) {
    llvm::Value* present = field_present(field);
    auto* from = b_.GetInsertBlock();
    auto* read = block("field.load");
    auto* done = block("field.done");
    b_.CreateCondBr(present, read, done);
    b_.SetInsertPoint(read);
    llvm::Value* v = load(f64_, b_.CreateConstInBoundsGEP1_64(f64_, numbers_, field));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode* phi = b_.CreatePHI(f64_, 2, fmt::format("num.{}", field));
    phi->addIncoming(nan(), from);
    phi->addIncoming(v, read);
    return phi;
  }

  // a / b with the language's rule that x/0 is "no value".
  llvm::Value* divide(llvm::Value* a, llvm::Value* d) {
    llvm::Value* zero = b_.CreateFCmpOEQ(d, llvm::ConstantFP::get(f64_, 0.0));
    return b_.CreateSelect(zero, nan(), b_.CreateFDiv(a, d));
  }

  Val short_circuit(const plan::Node& n, bool is_and) {
    auto* done = block(is_and ? "and.done" : "or.done");
    std::vector<std::pair<llvm::BasicBlock*, llvm::Value*>> incoming;
    for (std::uint32_t k = 0; k < n.count; ++k) {
      llvm::Value* v = as_bool(emit(plan_.kids[n.first + k]));
      if (k + 1 == n.count) {
        incoming.emplace_back(b_.GetInsertBlock(), v);
        b_.CreateBr(done);
        break;
      }
      auto* next = block(is_and ? "and.next" : "or.next");
      incoming.emplace_back(b_.GetInsertBlock(), b_.getInt1(!is_and));
      // Weighted as "a condition is false": most listings are clean, so most rules stop at
      // their first test. LLVM then lays the rest of each condition out of line, and the tests
      // of a pack's hundreds of rules stay close together (the straight-line code of every
      // rule did not fit the instruction cache: docs/performance.md).
      llvm::MDNode* unlikely_true = llvm::MDBuilder(ctx_).createBranchWeights(1, 64);
      if (is_and) {
        b_.CreateCondBr(v, next, done, unlikely_true);
      } else {
        b_.CreateCondBr(v, done, next, unlikely_true);
      }
      b_.SetInsertPoint(next);
    }
    if (n.count == 0) {
      incoming.emplace_back(b_.GetInsertBlock(), b_.getInt1(is_and));
      b_.CreateBr(done);
    }
    b_.SetInsertPoint(done);
    llvm::PHINode* phi = b_.CreatePHI(i1_, static_cast<unsigned>(incoming.size()), is_and ? "and" : "or");
    for (const auto& [from, v] : incoming) phi->addIncoming(v, from);
    return truth(phi);
  }

  Val emit(plan::NodeId id) {
    const plan::Node& n = plan_.nodes.at(id);
    switch (n.op) {
      case plan::Op::kConstBool:
      case plan::Op::kConstNum:
        return number(llvm::ConstantFP::get(f64_, n.num));
      case plan::Op::kNumField:
        return number(field_number(n.field));
      case plan::Op::kMoneyField: {
        llvm::Value* amount = field_number(n.field);
        llvm::Value* cur = load(i32_, b_.CreateConstInBoundsGEP1_64(i32_, currencies_, n.field), "cur");
        return number(amount, cur);
      }
      case plan::Op::kHas:
        return truth(field_present(n.field));
      case plan::Op::kTextInSet:
        return truth(b_.CreateCall(text_in_set_, {host_, i32(n.field), i32(n.index)}));
      case plan::Op::kTextFieldsEq:
        return truth(b_.CreateCall(text_fields_eq_, {host_, i32(n.field), i32(n.index)}));
      case plan::Op::kHit: {
        llvm::Value* seen = load(i64_, b_.CreateConstInBoundsGEP1_64(i64_, slot_fields_, n.index));
        return truth(b_.CreateICmpNE(b_.CreateAnd(seen, b_.getInt64(n.mask)), b_.getInt64(0),
                                     fmt::format("hit.{}", plan_.slots.at(n.index).name)));
      }
      case plan::Op::kCall:
        return call(n);
      case plan::Op::kRule:
        // Rules come in dependency order; a reference to a later rule reads "not fired", as the
        // interpreter's freshly reset result does.
        if (n.index < fired_.size() && fired_[n.index] != nullptr) return truth(fired_[n.index]);
        return truth(b_.getInt1(false));
      case plan::Op::kScore:
        return number(score_ != nullptr ? score_ : nan());
      case plan::Op::kState:
        // The runtime fills every read of a stateful plan: a plain load, as for a field.
        if (state_ == nullptr) return number(nan());
        return number(load(f64_, b_.CreateConstInBoundsGEP1_64(f64_, state_, n.index),
                           fmt::format("state.{}", n.index)));
      case plan::Op::kAction:
        return number(action_ != nullptr ? action_ : nan());
      case plan::Op::kNot: {
        const Val v = emit(n.a);
        if (v.is_bool) return truth(b_.CreateNot(v.num));
        return truth(b_.CreateFCmpOEQ(v.num, llvm::ConstantFP::get(f64_, 0.0)));
      }
      case plan::Op::kAnd:
        return short_circuit(n, true);
      case plan::Op::kOr:
        return short_circuit(n, false);
      case plan::Op::kCmp: {
        llvm::Value* a = as_num(emit(n.a));
        llvm::Value* c = as_num(emit(n.b));
        // Ordered predicates: a NaN operand makes every comparison false, `!=` included.
        switch (static_cast<stdlib::CmpOp>(n.sub)) {
          case stdlib::CmpOp::kEq:
            return truth(b_.CreateFCmpOEQ(a, c));
          case stdlib::CmpOp::kNe:
            return truth(b_.CreateFCmpONE(a, c));
          case stdlib::CmpOp::kLt:
            return truth(b_.CreateFCmpOLT(a, c));
          case stdlib::CmpOp::kLe:
            return truth(b_.CreateFCmpOLE(a, c));
          case stdlib::CmpOp::kGt:
            return truth(b_.CreateFCmpOGT(a, c));
          case stdlib::CmpOp::kGe:
            return truth(b_.CreateFCmpOGE(a, c));
        }
        return truth(b_.getInt1(false));
      }
      case plan::Op::kArith: {
        llvm::Value* a = as_num(emit(n.a));
        llvm::Value* c = as_num(emit(n.b));
        switch (static_cast<stdlib::ArithOp>(n.sub)) {
          case stdlib::ArithOp::kAdd:
            return number(b_.CreateFAdd(a, c));
          case stdlib::ArithOp::kSub:
            return number(b_.CreateFSub(a, c));
          case stdlib::ArithOp::kMul:
            return number(b_.CreateFMul(a, c));
          case stdlib::ArithOp::kDiv:
            return number(divide(a, c));
        }
        return number(nan());
      }
      case plan::Op::kNeg:
        return number(b_.CreateFNeg(as_num(emit(n.a))));
      case plan::Op::kConvert:
        return convert(emit(n.a), n.index);
    }
    return number(nan());
  }

  // amount * rate[from] / rate[to], NaN when the currency is unknown (-1) or out of the table.
  Val convert(const Val& money, std::uint32_t to) {
    const auto& rates = plan_.rate_to_base;
    if (money.currency == nullptr || to >= rates.size()) return number(nan());
    if (rate_table_ == nullptr) {
      auto* ty = llvm::ArrayType::get(f64_, rates.size());
      rate_table_ = new llvm::GlobalVariable(
          module_, ty, true, llvm::GlobalValue::PrivateLinkage,
          llvm::ConstantDataArray::get(ctx_, llvm::ArrayRef<double>(rates)), "rate_to_base");
      rate_table_->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    }
    llvm::Value* cur = money.currency;
    llvm::Value* known = b_.CreateICmpULT(cur, i32(static_cast<std::uint32_t>(rates.size())), "known");
    // Clamp so the load is always in bounds; the select below discards it when unknown.
    llvm::Value* index = b_.CreateZExt(b_.CreateSelect(known, cur, i32(0)), i64_);
    llvm::Value* from_rate =
        load(f64_, b_.CreateInBoundsGEP(rate_table_->getValueType(), rate_table_, {b_.getInt64(0), index}),
             "rate");
    llvm::Value* base = b_.CreateFMul(as_num(money), from_rate);
    llvm::Value* converted = b_.CreateFDiv(base, llvm::ConstantFP::get(f64_, rates[to]));
    return number(b_.CreateSelect(known, converted, nan(), "converted"));
  }

  const plan::Plan& plan_;
  llvm::LLVMContext& ctx_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::Type *i1_, *i8_, *i32_, *i64_, *f64_, *ptr_;
  llvm::StructType *record_ty_, *out_ty_, *args_ty_;
  llvm::Function* fn_ = nullptr;
  llvm::Function *text_in_set_ = nullptr, *text_fields_eq_ = nullptr;
  std::vector<llvm::Function*> builtins_;  // by stdlib::FunctionId, declared on first use
  llvm::AllocaInst* args_ = nullptr;
  llvm::GlobalVariable* rate_table_ = nullptr;
  llvm::Value *present_ = nullptr, *numbers_ = nullptr, *currencies_ = nullptr, *slot_fields_ = nullptr,
              *host_ = nullptr;
  llvm::Value* score_ = nullptr;
  llvm::Value* state_ = nullptr;
  llvm::Value* action_ = nullptr;  // the decided action (a double), once decide is lowered
  llvm::Value* rec_ = nullptr;     // this record's EvalRecord
  // Its arrays, loaded on first use.
  llvm::Value *hit_counts_ = nullptr, *text_lengths_ = nullptr, *term_bits_ = nullptr;
  std::vector<llvm::Value*> fired_;
};

}  // namespace

std::unique_ptr<llvm::Module> lower_plan(const plan::Plan& plan, llvm::LLVMContext& context) {
  auto module = std::make_unique<llvm::Module>(fmt::format("tusk.{}", plan.name), context);
  Lowering(plan, context, *module).run();
  return module;
}

std::string plan_fingerprint(const plan::Plan& plan) {
  // stdlib::Field by field rather than memcpy of the structs: padding bytes are not part of the plan.
  std::string bytes;
  auto put = [&](const auto& v) { bytes.append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  put(plan.nodes.size());
  for (const plan::Node& n : plan.nodes) {
    put(n.op), put(n.sub), put(n.a), put(n.b), put(n.field), put(n.index), put(n.index2), put(n.first),
        put(n.count), put(n.mask), put(n.num);
    // A call is keyed by the built-in's symbol, not its id: cached code binds calls by symbol.
    if (n.op == plan::Op::kCall) {
      bytes += stdlib::function(stdlib::FunctionId{n.fn}).symbol, bytes.push_back('\0');
    }
  }
  put(plan.kids.size());
  for (plan::NodeId k : plan.kids) put(k);
  put(plan.rules.size());
  for (const plan::PlanRule& r : plan.rules) {
    put(r.when), put(r.score), bytes += r.name, bytes.push_back('\0');
  }
  put(plan.decide.size());
  for (const plan::PlanBranch& d : plan.decide) put(d.otherwise), put(d.when);
  put(plan.suggestions.size());
  for (const plan::PlanSuggestion& s : plan.suggestions) put(s.when);
  put(plan.counters.size());
  for (const plan::PlanCounter& c : plan.counters) put(c.when);
  put(plan.labels.size());
  for (const plan::PlanLabel& l : plan.labels) put(l.when);
  put(plan.has_account);
  put(plan.account.size());
  for (const plan::PlanAccountBranch& a : plan.account) put(a.otherwise), put(a.when), put(a.action);
  put(plan.state_reads.size());
  put(plan.rate_to_base.size());
  for (double r : plan.rate_to_base) put(r);
  put(plan.slots.size());
  for (const plan::Slot& s : plan.slots) bytes += s.name, bytes.push_back('\0');
  return fmt::format("{:016x}", llvm::xxh3_64bits(llvm::StringRef(bytes)));
}

}  // namespace tusk::compiler::jit
