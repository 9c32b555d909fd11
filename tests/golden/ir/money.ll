; ModuleID = 'tusk.golden.ir_money'
source_filename = "tusk.golden.ir_money"

%tusk.CallArgs = type { ptr, i64, [2 x i32], i32, i32, [1 x double], double }
%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32, ptr }

@rate_to_base = private unnamed_addr constant [31 x double] [double 2.723000e-01, double 0x3FE3CED916872B02, double 1.620000e-01, double 6.950000e-01, double 1.100000e+00, double 1.366000e-01, double 1.035000e+00, double 1.245000e+00, double 1.287000e-01, double 6.170000e-05, double 1.167000e-02, double 6.360000e-03, double 0x3F7FA97E132B55EF, double 2.480000e-04, double 6.790000e-04, double 4.570000e-05, double 4.760000e-04, double 4.830000e-02, double 2.230000e-01, double 6.470000e-04, double 7.290000e-03, double 5.610000e-01, double 1.725000e-02, double 3.590000e-03, double 0x3FE76C8B43958106, double 2.910000e-02, double 3.040000e-02, double 4.050000e-04, double 1.000000e+00, double 3.930000e-05, double 5.300000e-02]
@rule_score = private unnamed_addr constant [3 x double] [double -1.000000e+01, double 4.000000e+01, double 1.000000e+00]

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_in_set(ptr, i32, i32) #0

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_fields_eq(ptr, i32, i32) #0

; Function Attrs: nounwind
define void @tusk_eval_batch(ptr noalias noundef readonly %records, i64 noundef %count, ptr noalias noundef %out) #1 {
entry:
  %call.args = alloca %tusk.CallArgs, align 8
  %0 = icmp eq i64 %count, 0
  br i1 %0, label %exit, label %record

record:                                           ; preds = %decided, %entry
  %i = phi i64 [ 0, %entry ], [ %i.next, %decided ]
  %rec = getelementptr inbounds %tusk.EvalRecord, ptr %records, i64 %i
  %1 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 0
  %present = load i64, ptr %1, align 8
  %2 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 1
  %numbers = load ptr, ptr %2, align 8
  %3 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 2
  %currencies = load ptr, ptr %3, align 8
  %4 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 3
  %slot_fields = load ptr, ptr %4, align 8
  %5 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 4
  %host = load ptr, ptr %5, align 8
  %out.rec = getelementptr inbounds %tusk.JitOut, ptr %out, i64 %i
  %6 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 0
  %fired = load ptr, ptr %6, align 8
  %7 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 1
  %suggested = load ptr, ptr %7, align 8
  br label %rule.cheap

exit:                                             ; preds = %decided, %entry
  ret void

rule.cheap:                                       ; preds = %record
  %8 = and i64 %present, 8
  %has.3 = icmp ne i64 %8, 0
  br i1 %has.3, label %and.next, label %and.done, !prof !0

and.done:                                         ; preds = %field.done, %rule.cheap
  %fired.cheap = phi i1 [ false, %rule.cheap ], [ %20, %field.done ]
  %9 = getelementptr inbounds i8, ptr %fired, i64 0
  %10 = zext i1 %fired.cheap to i8
  store i8 %10, ptr %9, align 1
  br label %rule.raw_by_weight

and.next:                                         ; preds = %rule.cheap
  %11 = and i64 %present, 8
  %has.31 = icmp ne i64 %11, 0
  br i1 %has.31, label %field.load, label %field.done

field.load:                                       ; preds = %and.next
  %12 = getelementptr inbounds double, ptr %numbers, i64 3
  %13 = load double, ptr %12, align 8
  br label %field.done

field.done:                                       ; preds = %field.load, %and.next
  %num.3 = phi double [ 0x7FF8000000000000, %and.next ], [ %13, %field.load ]
  %14 = getelementptr inbounds i32, ptr %currencies, i64 3
  %cur = load i32, ptr %14, align 4
  %known = icmp ult i32 %cur, 31
  %15 = select i1 %known, i32 %cur, i32 0
  %16 = zext i32 %15 to i64
  %17 = getelementptr inbounds [31 x double], ptr @rate_to_base, i64 0, i64 %16
  %rate = load double, ptr %17, align 8
  %18 = fmul double %num.3, %rate
  %19 = fdiv double %18, 1.000000e+00
  %converted = select i1 %known, double %19, double 0x7FF8000000000000
  %20 = fcmp olt double %converted, 2.000000e+01
  br label %and.done

rule.raw_by_weight:                               ; preds = %and.done
  %21 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %22 = load i64, ptr %21, align 8
  %23 = and i64 %22, 582
  %hit.names = icmp ne i64 %23, 0
  br i1 %hit.names, label %and.next3, label %and.done2, !prof !0

and.done2:                                        ; preds = %field.done6, %rule.raw_by_weight
  %fired.raw_by_weight = phi i1 [ false, %rule.raw_by_weight ], [ %45, %field.done6 ]
  %24 = getelementptr inbounds i8, ptr %fired, i64 1
  %25 = zext i1 %fired.raw_by_weight to i8
  store i8 %25, ptr %24, align 1
  br label %rule.odd_ratio

and.next3:                                        ; preds = %rule.raw_by_weight
  %26 = and i64 %present, 8
  %has.34 = icmp ne i64 %26, 0
  br i1 %has.34, label %field.load5, label %field.done6

field.load5:                                      ; preds = %and.next3
  %27 = getelementptr inbounds double, ptr %numbers, i64 3
  %28 = load double, ptr %27, align 8
  br label %field.done6

field.done6:                                      ; preds = %field.load5, %and.next3
  %num.37 = phi double [ 0x7FF8000000000000, %and.next3 ], [ %28, %field.load5 ]
  %29 = getelementptr inbounds i32, ptr %currencies, i64 3
  %cur8 = load i32, ptr %29, align 4
  %30 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %30, align 8
  %31 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %31, align 8
  %32 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %33 = getelementptr inbounds [2 x i32], ptr %32, i32 0, i32 0
  store i32 0, ptr %33, align 4
  %34 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %35 = getelementptr inbounds [2 x i32], ptr %34, i32 0, i32 1
  store i32 0, ptr %35, align 4
  %36 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %36, align 4
  %37 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %38 = getelementptr inbounds [1 x double], ptr %37, i32 0, i32 0
  store double %num.37, ptr %38, align 8
  %39 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %39, align 8
  %fn.per_kg = call double @tusk_fn_per_kg(ptr %call.args)
  %known9 = icmp ult i32 %cur8, 31
  %40 = select i1 %known9, i32 %cur8, i32 0
  %41 = zext i32 %40 to i64
  %42 = getelementptr inbounds [31 x double], ptr @rate_to_base, i64 0, i64 %41
  %rate10 = load double, ptr %42, align 8
  %43 = fmul double %fn.per_kg, %rate10
  %44 = fdiv double %43, 1.000000e+00
  %converted11 = select i1 %known9, double %44, double 0x7FF8000000000000
  %45 = fcmp ogt double %converted11, 5.000000e+02
  br label %and.done2

rule.odd_ratio:                                   ; preds = %and.done2
  %46 = and i64 %present, 8
  %has.312 = icmp ne i64 %46, 0
  br i1 %has.312, label %field.load13, label %field.done14

field.load13:                                     ; preds = %rule.odd_ratio
  %47 = getelementptr inbounds double, ptr %numbers, i64 3
  %48 = load double, ptr %47, align 8
  br label %field.done14

field.done14:                                     ; preds = %field.load13, %rule.odd_ratio
  %num.315 = phi double [ 0x7FF8000000000000, %rule.odd_ratio ], [ %48, %field.load13 ]
  %49 = getelementptr inbounds i32, ptr %currencies, i64 3
  %cur16 = load i32, ptr %49, align 4
  %known17 = icmp ult i32 %cur16, 31
  %50 = select i1 %known17, i32 %cur16, i32 0
  %51 = zext i32 %50 to i64
  %52 = getelementptr inbounds [31 x double], ptr @rate_to_base, i64 0, i64 %51
  %rate18 = load double, ptr %52, align 8
  %53 = fmul double %num.315, %rate18
  %54 = fdiv double %53, 1.000000e+00
  %converted19 = select i1 %known17, double %54, double 0x7FF8000000000000
  %55 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %55, align 8
  %56 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 4, ptr %56, align 8
  %57 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %58 = getelementptr inbounds [2 x i32], ptr %57, i32 0, i32 0
  store i32 0, ptr %58, align 4
  %59 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %60 = getelementptr inbounds [2 x i32], ptr %59, i32 0, i32 1
  store i32 0, ptr %60, align 4
  %61 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %61, align 4
  %62 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %63 = getelementptr inbounds [1 x double], ptr %62, i32 0, i32 0
  store double 0.000000e+00, ptr %63, align 8
  %64 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %64, align 8
  %fn.weight_kg = call double @tusk_fn_weight_kg(ptr %call.args)
  %65 = fcmp oeq double %fn.weight_kg, 0.000000e+00
  %66 = fdiv double %converted19, %fn.weight_kg
  %67 = select i1 %65, double 0x7FF8000000000000, double %66
  %fired.odd_ratio = fcmp one double %67, 3.000000e+00
  %68 = getelementptr inbounds i8, ptr %fired, i64 2
  %69 = zext i1 %fired.odd_ratio to i8
  store i8 %69, ptr %68, align 1
  %70 = zext i1 %fired.cheap to i64
  %71 = shl i64 %70, 0
  %72 = or i64 0, %71
  %73 = zext i1 %fired.raw_by_weight to i64
  %74 = shl i64 %73, 1
  %75 = or i64 %72, %74
  %76 = zext i1 %fired.odd_ratio to i64
  %77 = shl i64 %76, 2
  %78 = or i64 %75, %77
  br label %score.test

score.test:                                       ; preds = %score.add, %field.done14
  %score.bits = phi i64 [ %78, %field.done14 ], [ %86, %score.add ]
  %score = phi double [ 0.000000e+00, %field.done14 ], [ %84, %score.add ]
  %79 = icmp eq i64 %score.bits, 0
  br i1 %79, label %score.done, label %score.add

score.add:                                        ; preds = %score.test
  %80 = call i64 @llvm.cttz.i64(i64 %score.bits, i1 true)
  %81 = add i64 %80, 0
  %82 = getelementptr inbounds [3 x double], ptr @rule_score, i64 0, i64 %81
  %83 = load double, ptr %82, align 8
  %84 = fadd double %score, %83
  %85 = sub i64 %score.bits, 1
  %86 = and i64 %score.bits, %85
  br label %score.test

score.done:                                       ; preds = %score.test
  %87 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score, ptr %87, align 8
  br label %decide.0

decided:                                          ; preds = %decide.0.else, %decide.0
  %branch = phi i32 [ 0, %decide.0 ], [ -1, %decide.0.else ]
  %88 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %88, align 4
  %i.next = add nuw i64 %i, 1
  %89 = icmp ult i64 %i.next, %count
  br i1 %89, label %record, label %exit

decide.0:                                         ; preds = %score.done
  br i1 %fired.raw_by_weight, label %decided, label %decide.0.else

decide.0.else:                                    ; preds = %decide.0
  br label %decided
}

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_per_kg(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_weight_kg(ptr nocapture readonly) #0

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i64 @llvm.cttz.i64(i64, i1 immarg) #2

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
attributes #2 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }

!0 = !{!"branch_weights", i32 1, i32 64}
