; ModuleID = 'tusk.golden.ir_calls'
source_filename = "tusk.golden.ir_calls"

%tusk.CallArgs = type { ptr, i64, [2 x i32], i32, i32, [1 x double], double }
%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32, ptr }

@rule_score = private unnamed_addr constant [3 x double] [double 2.000000e+01, double 1.000000e+01, double 2.500000e+01]

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

record:                                           ; preds = %and.done12, %entry
  %i = phi i64 [ 0, %entry ], [ %i.next, %and.done12 ]
  %rec = getelementptr inbounds %tusk.EvalRecord, ptr %records, i64 %i
  %1 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 0
  %present = load i64, ptr %1, align 8
  %2 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 7
  %text_lengths = load ptr, ptr %2, align 8
  %3 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 6
  %hit_counts = load ptr, ptr %3, align 8
  %4 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 1
  %numbers = load ptr, ptr %4, align 8
  %5 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 2
  %currencies = load ptr, ptr %5, align 8
  %6 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 3
  %slot_fields = load ptr, ptr %6, align 8
  %7 = getelementptr inbounds %tusk.EvalRecord, ptr %rec, i32 0, i32 4
  %host = load ptr, ptr %7, align 8
  %out.rec = getelementptr inbounds %tusk.JitOut, ptr %out, i64 %i
  %8 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 0
  %fired = load ptr, ptr %8, align 8
  %9 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 1
  %suggested = load ptr, ptr %9, align 8
  br label %rule.carved

exit:                                             ; preds = %and.done12, %entry
  ret void

rule.carved:                                      ; preds = %record
  %10 = getelementptr inbounds i32, ptr %hit_counts, i64 1
  %11 = load i32, ptr %10, align 4
  %12 = zext i32 %11 to i64
  %13 = add i64 0, %12
  %14 = getelementptr inbounds i32, ptr %hit_counts, i64 2
  %15 = load i32, ptr %14, align 4
  %16 = zext i32 %15 to i64
  %17 = add i64 %13, %16
  %18 = getelementptr inbounds i32, ptr %hit_counts, i64 6
  %19 = load i32, ptr %18, align 4
  %20 = zext i32 %19 to i64
  %21 = add i64 %17, %20
  %22 = getelementptr inbounds i32, ptr %hit_counts, i64 9
  %23 = load i32, ptr %22, align 4
  %24 = zext i32 %23 to i64
  %25 = add i64 %21, %24
  %count1 = uitofp i64 %25 to double
  %26 = fcmp oge double %count1, 2.000000e+00
  br i1 %26, label %or.done, label %or.next, !prof !0

or.done:                                          ; preds = %and.done, %rule.carved
  %fired.carved = phi i1 [ true, %rule.carved ], [ %and, %and.done ]
  %27 = getelementptr inbounds i8, ptr %fired, i64 0
  %28 = zext i1 %fired.carved to i8
  store i8 %28, ptr %27, align 1
  br label %rule.antique

or.next:                                          ; preds = %rule.carved
  %29 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %30 = load i64, ptr %29, align 8
  %31 = and i64 %30, 582
  %hit.names = icmp ne i64 %31, 0
  br i1 %hit.names, label %and.next, label %and.done, !prof !0

and.done:                                         ; preds = %and.next2, %and.next, %or.next
  %and = phi i1 [ false, %or.next ], [ false, %and.next ], [ %45, %and.next2 ]
  br label %or.done

and.next:                                         ; preds = %or.next
  %32 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %33 = load i64, ptr %32, align 8
  %34 = and i64 %33, 582
  %hit.carving = icmp ne i64 %34, 0
  br i1 %hit.carving, label %and.next2, label %and.done, !prof !0

and.next2:                                        ; preds = %and.next
  %35 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %35, align 8
  %36 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %36, align 8
  %37 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %38 = getelementptr inbounds [2 x i32], ptr %37, i32 0, i32 0
  store i32 0, ptr %38, align 4
  %39 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %40 = getelementptr inbounds [2 x i32], ptr %39, i32 0, i32 1
  store i32 1, ptr %40, align 4
  %41 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %41, align 4
  %42 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %43 = getelementptr inbounds [1 x double], ptr %42, i32 0, i32 0
  store double 0.000000e+00, ptr %43, align 8
  %44 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 4.000000e+00, ptr %44, align 8
  %fn.near = call double @tusk_fn_near(ptr %call.args)
  %45 = fcmp une double %fn.near, 0.000000e+00
  br label %and.done

rule.antique:                                     ; preds = %or.done
  %46 = call i1 @tusk_host_text_in_set(ptr %host, i32 5, i32 0)
  br i1 %46, label %and.next4, label %and.done3, !prof !0

and.done3:                                        ; preds = %and.next5, %and.next4, %rule.antique
  %fired.antique = phi i1 [ false, %rule.antique ], [ false, %and.next4 ], [ %55, %and.next5 ]
  %47 = getelementptr inbounds i8, ptr %fired, i64 1
  %48 = zext i1 %fired.antique to i8
  store i8 %48, ptr %47, align 1
  br label %rule.heavy

and.next4:                                        ; preds = %rule.antique
  %49 = call i1 @tusk_host_text_fields_eq(ptr %host, i32 1, i32 10)
  %50 = xor i1 %49, true
  br i1 %50, label %and.next5, label %and.done3, !prof !0

and.next5:                                        ; preds = %and.next4
  %51 = getelementptr inbounds i32, ptr %text_lengths, i64 1
  %52 = load i32, ptr %51, align 4
  %53 = zext i32 %52 to i64
  %54 = add i64 0, %53
  %len = uitofp i64 %54 to double
  %55 = fcmp ogt double %len, 3.000000e+00
  br label %and.done3

rule.heavy:                                       ; preds = %and.done3
  %56 = getelementptr inbounds i64, ptr %slot_fields, i64 2
  %57 = load i64, ptr %56, align 8
  %58 = and i64 %57, 2
  %hit.weight_re = icmp ne i64 %58, 0
  br i1 %hit.weight_re, label %and.next8, label %and.done7, !prof !0

and.done7:                                        ; preds = %and.next8, %rule.heavy
  %fired.heavy = phi i1 [ false, %rule.heavy ], [ %80, %and.next8 ]
  %59 = getelementptr inbounds i8, ptr %fired, i64 2
  %60 = zext i1 %fired.heavy to i8
  store i8 %60, ptr %59, align 1
  %61 = zext i1 %fired.carved to i64
  %62 = shl i64 %61, 0
  %63 = or i64 0, %62
  %64 = zext i1 %fired.antique to i64
  %65 = shl i64 %64, 1
  %66 = or i64 %63, %65
  %67 = zext i1 %fired.heavy to i64
  %68 = shl i64 %67, 2
  %69 = or i64 %66, %68
  br label %score.test

and.next8:                                        ; preds = %rule.heavy
  %70 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %70, align 8
  %71 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %71, align 8
  %72 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %73 = getelementptr inbounds [2 x i32], ptr %72, i32 0, i32 0
  store i32 0, ptr %73, align 4
  %74 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %75 = getelementptr inbounds [2 x i32], ptr %74, i32 0, i32 1
  store i32 0, ptr %75, align 4
  %76 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %76, align 4
  %77 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %78 = getelementptr inbounds [1 x double], ptr %77, i32 0, i32 0
  store double 0.000000e+00, ptr %78, align 8
  %79 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %79, align 8
  %fn.weight_kg = call double @tusk_fn_weight_kg(ptr %call.args)
  %80 = fcmp ogt double %fn.weight_kg, 1.000000e+00
  br label %and.done7

score.test:                                       ; preds = %score.add, %and.done7
  %score.bits = phi i64 [ %69, %and.done7 ], [ %88, %score.add ]
  %score = phi double [ 0.000000e+00, %and.done7 ], [ %86, %score.add ]
  %81 = icmp eq i64 %score.bits, 0
  br i1 %81, label %score.done, label %score.add

score.add:                                        ; preds = %score.test
  %82 = call i64 @llvm.cttz.i64(i64 %score.bits, i1 true)
  %83 = add i64 %82, 0
  %84 = getelementptr inbounds [3 x double], ptr @rule_score, i64 0, i64 %83
  %85 = load double, ptr %84, align 8
  %86 = fadd double %score, %85
  %87 = sub i64 %score.bits, 1
  %88 = and i64 %score.bits, %87
  br label %score.test

score.done:                                       ; preds = %score.test
  %89 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score, ptr %89, align 8
  br label %decide.0

decided:                                          ; preds = %decide.1.else, %or.done10, %decide.0
  %branch = phi i32 [ 0, %decide.0 ], [ 1, %or.done10 ], [ -1, %decide.1.else ]
  %90 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %90, align 4
  br label %suggest.0

decide.0:                                         ; preds = %score.done
  %91 = fcmp oge double %score, 4.000000e+01
  br i1 %91, label %decided, label %decide.0.else

decide.0.else:                                    ; preds = %decide.0
  br label %decide.1

decide.1:                                         ; preds = %decide.0.else
  br i1 %fired.carved, label %or.done10, label %or.next11, !prof !0

or.done10:                                        ; preds = %or.next11, %decide.1
  %or = phi i1 [ true, %decide.1 ], [ %fired.heavy, %or.next11 ]
  br i1 %or, label %decided, label %decide.1.else

or.next11:                                        ; preds = %decide.1
  br label %or.done10

decide.1.else:                                    ; preds = %or.done10
  br label %decided

suggest.0:                                        ; preds = %decided
  br i1 %fired.carved, label %and.next13, label %and.done12, !prof !0

and.done12:                                       ; preds = %and.next13, %suggest.0
  %and14 = phi i1 [ false, %suggest.0 ], [ %95, %and.next13 ]
  %92 = getelementptr inbounds i8, ptr %suggested, i64 0
  %93 = zext i1 %and14 to i8
  store i8 %93, ptr %92, align 1
  %i.next = add nuw i64 %i, 1
  %94 = icmp ult i64 %i.next, %count
  br i1 %94, label %record, label %exit

and.next13:                                       ; preds = %suggest.0
  %95 = xor i1 %fired.antique, true
  br label %and.done12
}

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_near(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_weight_kg(ptr nocapture readonly) #0

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i64 @llvm.cttz.i64(i64, i1 immarg) #2

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
attributes #2 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }

!0 = !{!"branch_weights", i32 1, i32 64}
