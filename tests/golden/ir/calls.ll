; ModuleID = 'tusk.golden.ir_calls'
source_filename = "tusk.golden.ir_calls"

%tusk.CallArgs = type { ptr, i64, [2 x i32], i32, i32, [1 x double], double }
%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32, ptr }

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

record:                                           ; preds = %and.done14, %entry
  %i = phi i64 [ 0, %entry ], [ %i.next, %and.done14 ]
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

exit:                                             ; preds = %and.done14, %entry
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
  br i1 %26, label %or.done, label %or.next

or.done:                                          ; preds = %and.done, %rule.carved
  %fired.carved = phi i1 [ true, %rule.carved ], [ %and, %and.done ]
  %27 = getelementptr inbounds i8, ptr %fired, i64 0
  %28 = zext i1 %fired.carved to i8
  store i8 %28, ptr %27, align 1
  %score = select i1 %fired.carved, double 2.000000e+01, double 0.000000e+00
  br label %rule.antique

or.next:                                          ; preds = %rule.carved
  %29 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %30 = load i64, ptr %29, align 8
  %31 = and i64 %30, 582
  %hit.names = icmp ne i64 %31, 0
  br i1 %hit.names, label %and.next, label %and.done

and.done:                                         ; preds = %and.next2, %and.next, %or.next
  %and = phi i1 [ false, %or.next ], [ false, %and.next ], [ %45, %and.next2 ]
  br label %or.done

and.next:                                         ; preds = %or.next
  %32 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %33 = load i64, ptr %32, align 8
  %34 = and i64 %33, 582
  %hit.carving = icmp ne i64 %34, 0
  br i1 %hit.carving, label %and.next2, label %and.done

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
  br i1 %46, label %and.next4, label %and.done3

and.done3:                                        ; preds = %and.next5, %and.next4, %rule.antique
  %fired.antique = phi i1 [ false, %rule.antique ], [ false, %and.next4 ], [ %56, %and.next5 ]
  %47 = getelementptr inbounds i8, ptr %fired, i64 1
  %48 = zext i1 %fired.antique to i8
  store i8 %48, ptr %47, align 1
  %49 = fadd double %score, 1.000000e+01
  %score7 = select i1 %fired.antique, double %49, double %score
  br label %rule.heavy

and.next4:                                        ; preds = %rule.antique
  %50 = call i1 @tusk_host_text_fields_eq(ptr %host, i32 1, i32 10)
  %51 = xor i1 %50, true
  br i1 %51, label %and.next5, label %and.done3

and.next5:                                        ; preds = %and.next4
  %52 = getelementptr inbounds i32, ptr %text_lengths, i64 1
  %53 = load i32, ptr %52, align 4
  %54 = zext i32 %53 to i64
  %55 = add i64 0, %54
  %len = uitofp i64 %55 to double
  %56 = fcmp ogt double %len, 3.000000e+00
  br label %and.done3

rule.heavy:                                       ; preds = %and.done3
  %57 = getelementptr inbounds i64, ptr %slot_fields, i64 2
  %58 = load i64, ptr %57, align 8
  %59 = and i64 %58, 2
  %hit.weight_re = icmp ne i64 %59, 0
  br i1 %hit.weight_re, label %and.next9, label %and.done8

and.done8:                                        ; preds = %and.next9, %rule.heavy
  %fired.heavy = phi i1 [ false, %rule.heavy ], [ %74, %and.next9 ]
  %60 = getelementptr inbounds i8, ptr %fired, i64 2
  %61 = zext i1 %fired.heavy to i8
  store i8 %61, ptr %60, align 1
  %62 = fadd double %score7, 2.500000e+01
  %score11 = select i1 %fired.heavy, double %62, double %score7
  %63 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score11, ptr %63, align 8
  br label %decide.0

and.next9:                                        ; preds = %rule.heavy
  %64 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %64, align 8
  %65 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %65, align 8
  %66 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %67 = getelementptr inbounds [2 x i32], ptr %66, i32 0, i32 0
  store i32 0, ptr %67, align 4
  %68 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %69 = getelementptr inbounds [2 x i32], ptr %68, i32 0, i32 1
  store i32 0, ptr %69, align 4
  %70 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %70, align 4
  %71 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %72 = getelementptr inbounds [1 x double], ptr %71, i32 0, i32 0
  store double 0.000000e+00, ptr %72, align 8
  %73 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %73, align 8
  %fn.weight_kg = call double @tusk_fn_weight_kg(ptr %call.args)
  %74 = fcmp ogt double %fn.weight_kg, 1.000000e+00
  br label %and.done8

decided:                                          ; preds = %decide.1.else, %or.done12, %decide.0
  %branch = phi i32 [ 0, %decide.0 ], [ 1, %or.done12 ], [ -1, %decide.1.else ]
  %75 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %75, align 4
  br label %suggest.0

decide.0:                                         ; preds = %and.done8
  %76 = fcmp oge double %score11, 4.000000e+01
  br i1 %76, label %decided, label %decide.0.else

decide.0.else:                                    ; preds = %decide.0
  br label %decide.1

decide.1:                                         ; preds = %decide.0.else
  br i1 %fired.carved, label %or.done12, label %or.next13

or.done12:                                        ; preds = %or.next13, %decide.1
  %or = phi i1 [ true, %decide.1 ], [ %fired.heavy, %or.next13 ]
  br i1 %or, label %decided, label %decide.1.else

or.next13:                                        ; preds = %decide.1
  br label %or.done12

decide.1.else:                                    ; preds = %or.done12
  br label %decided

suggest.0:                                        ; preds = %decided
  br i1 %fired.carved, label %and.next15, label %and.done14

and.done14:                                       ; preds = %and.next15, %suggest.0
  %and16 = phi i1 [ false, %suggest.0 ], [ %80, %and.next15 ]
  %77 = getelementptr inbounds i8, ptr %suggested, i64 0
  %78 = zext i1 %and16 to i8
  store i8 %78, ptr %77, align 1
  %i.next = add nuw i64 %i, 1
  %79 = icmp ult i64 %i.next, %count
  br i1 %79, label %record, label %exit

and.next15:                                       ; preds = %suggest.0
  %80 = xor i1 %fired.antique, true
  br label %and.done14
}

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_near(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_weight_kg(ptr nocapture readonly) #0

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
