; ModuleID = 'tusk.golden.ir_calls'
source_filename = "tusk.golden.ir_calls"

%tusk.CallArgs = type { ptr, i64, [2 x i32], i32, i32, [1 x double], double }
%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr }
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

record:                                           ; preds = %and.done13, %entry
  %i = phi i64 [ 0, %entry ], [ %i.next, %and.done13 ]
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
  br label %rule.carved

exit:                                             ; preds = %and.done13, %entry
  ret void

rule.carved:                                      ; preds = %record
  %8 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %8, align 8
  %9 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %9, align 8
  %10 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %11 = getelementptr inbounds [2 x i32], ptr %10, i32 0, i32 0
  store i32 0, ptr %11, align 4
  %12 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %13 = getelementptr inbounds [2 x i32], ptr %12, i32 0, i32 1
  store i32 0, ptr %13, align 4
  %14 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %14, align 4
  %15 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %16 = getelementptr inbounds [1 x double], ptr %15, i32 0, i32 0
  store double 0.000000e+00, ptr %16, align 8
  %17 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %17, align 8
  %fn.count = call double @tusk_fn_count(ptr %call.args)
  %18 = fcmp oge double %fn.count, 2.000000e+00
  br i1 %18, label %or.done, label %or.next

or.done:                                          ; preds = %and.done, %rule.carved
  %fired.carved = phi i1 [ true, %rule.carved ], [ %and, %and.done ]
  %19 = getelementptr inbounds i8, ptr %fired, i64 0
  %20 = zext i1 %fired.carved to i8
  store i8 %20, ptr %19, align 1
  %score = select i1 %fired.carved, double 2.000000e+01, double 0.000000e+00
  br label %rule.antique

or.next:                                          ; preds = %rule.carved
  %21 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %22 = load i64, ptr %21, align 8
  %23 = and i64 %22, 582
  %hit.names = icmp ne i64 %23, 0
  br i1 %hit.names, label %and.next, label %and.done

and.done:                                         ; preds = %and.next1, %and.next, %or.next
  %and = phi i1 [ false, %or.next ], [ false, %and.next ], [ %37, %and.next1 ]
  br label %or.done

and.next:                                         ; preds = %or.next
  %24 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %25 = load i64, ptr %24, align 8
  %26 = and i64 %25, 582
  %hit.carving = icmp ne i64 %26, 0
  br i1 %hit.carving, label %and.next1, label %and.done

and.next1:                                        ; preds = %and.next
  %27 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %27, align 8
  %28 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %28, align 8
  %29 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %30 = getelementptr inbounds [2 x i32], ptr %29, i32 0, i32 0
  store i32 0, ptr %30, align 4
  %31 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %32 = getelementptr inbounds [2 x i32], ptr %31, i32 0, i32 1
  store i32 1, ptr %32, align 4
  %33 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %33, align 4
  %34 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %35 = getelementptr inbounds [1 x double], ptr %34, i32 0, i32 0
  store double 0.000000e+00, ptr %35, align 8
  %36 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 4.000000e+00, ptr %36, align 8
  %fn.near = call double @tusk_fn_near(ptr %call.args)
  %37 = fcmp une double %fn.near, 0.000000e+00
  br label %and.done

rule.antique:                                     ; preds = %or.done
  %38 = call i1 @tusk_host_text_in_set(ptr %host, i32 5, i32 0)
  br i1 %38, label %and.next3, label %and.done2

and.done2:                                        ; preds = %and.next4, %and.next3, %rule.antique
  %fired.antique = phi i1 [ false, %rule.antique ], [ false, %and.next3 ], [ %54, %and.next4 ]
  %39 = getelementptr inbounds i8, ptr %fired, i64 1
  %40 = zext i1 %fired.antique to i8
  store i8 %40, ptr %39, align 1
  %41 = fadd double %score, 1.000000e+01
  %score6 = select i1 %fired.antique, double %41, double %score
  br label %rule.heavy

and.next3:                                        ; preds = %rule.antique
  %42 = call i1 @tusk_host_text_fields_eq(ptr %host, i32 1, i32 10)
  %43 = xor i1 %42, true
  br i1 %43, label %and.next4, label %and.done2

and.next4:                                        ; preds = %and.next3
  %44 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %44, align 8
  %45 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 2, ptr %45, align 8
  %46 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %47 = getelementptr inbounds [2 x i32], ptr %46, i32 0, i32 0
  store i32 0, ptr %47, align 4
  %48 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %49 = getelementptr inbounds [2 x i32], ptr %48, i32 0, i32 1
  store i32 0, ptr %49, align 4
  %50 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %50, align 4
  %51 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %52 = getelementptr inbounds [1 x double], ptr %51, i32 0, i32 0
  store double 0.000000e+00, ptr %52, align 8
  %53 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %53, align 8
  %fn.len = call double @tusk_fn_len(ptr %call.args)
  %54 = fcmp ogt double %fn.len, 3.000000e+00
  br label %and.done2

rule.heavy:                                       ; preds = %and.done2
  %55 = getelementptr inbounds i64, ptr %slot_fields, i64 2
  %56 = load i64, ptr %55, align 8
  %57 = and i64 %56, 2
  %hit.weight_re = icmp ne i64 %57, 0
  br i1 %hit.weight_re, label %and.next8, label %and.done7

and.done7:                                        ; preds = %and.next8, %rule.heavy
  %fired.heavy = phi i1 [ false, %rule.heavy ], [ %72, %and.next8 ]
  %58 = getelementptr inbounds i8, ptr %fired, i64 2
  %59 = zext i1 %fired.heavy to i8
  store i8 %59, ptr %58, align 1
  %60 = fadd double %score6, 2.500000e+01
  %score10 = select i1 %fired.heavy, double %60, double %score6
  %61 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score10, ptr %61, align 8
  br label %decide.0

and.next8:                                        ; preds = %rule.heavy
  %62 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 0
  store ptr %host, ptr %62, align 8
  %63 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 1
  store i64 582, ptr %63, align 8
  %64 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %65 = getelementptr inbounds [2 x i32], ptr %64, i32 0, i32 0
  store i32 0, ptr %65, align 4
  %66 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 2
  %67 = getelementptr inbounds [2 x i32], ptr %66, i32 0, i32 1
  store i32 0, ptr %67, align 4
  %68 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 3
  store i32 0, ptr %68, align 4
  %69 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 5
  %70 = getelementptr inbounds [1 x double], ptr %69, i32 0, i32 0
  store double 0.000000e+00, ptr %70, align 8
  %71 = getelementptr inbounds %tusk.CallArgs, ptr %call.args, i32 0, i32 6
  store double 0.000000e+00, ptr %71, align 8
  %fn.weight_kg = call double @tusk_fn_weight_kg(ptr %call.args)
  %72 = fcmp ogt double %fn.weight_kg, 1.000000e+00
  br label %and.done7

decided:                                          ; preds = %decide.1.else, %or.done11, %decide.0
  %branch = phi i32 [ 0, %decide.0 ], [ 1, %or.done11 ], [ -1, %decide.1.else ]
  %73 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %73, align 4
  br label %suggest.0

decide.0:                                         ; preds = %and.done7
  %74 = fcmp oge double %score10, 4.000000e+01
  br i1 %74, label %decided, label %decide.0.else

decide.0.else:                                    ; preds = %decide.0
  br label %decide.1

decide.1:                                         ; preds = %decide.0.else
  br i1 %fired.carved, label %or.done11, label %or.next12

or.done11:                                        ; preds = %or.next12, %decide.1
  %or = phi i1 [ true, %decide.1 ], [ %fired.heavy, %or.next12 ]
  br i1 %or, label %decided, label %decide.1.else

or.next12:                                        ; preds = %decide.1
  br label %or.done11

decide.1.else:                                    ; preds = %or.done11
  br label %decided

suggest.0:                                        ; preds = %decided
  br i1 %fired.carved, label %and.next14, label %and.done13

and.done13:                                       ; preds = %and.next14, %suggest.0
  %and15 = phi i1 [ false, %suggest.0 ], [ %78, %and.next14 ]
  %75 = getelementptr inbounds i8, ptr %suggested, i64 0
  %76 = zext i1 %and15 to i8
  store i8 %76, ptr %75, align 1
  %i.next = add nuw i64 %i, 1
  %77 = icmp ult i64 %i.next, %count
  br i1 %77, label %record, label %exit

and.next14:                                       ; preds = %suggest.0
  %78 = xor i1 %fired.antique, true
  br label %and.done13
}

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_count(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_near(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_len(ptr nocapture readonly) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_weight_kg(ptr nocapture readonly) #0

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
