; ModuleID = 'tusk.golden.ir_calls'
source_filename = "tusk.golden.ir_calls"

%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32 }

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_in_set(ptr, i32, i32) #0

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_fields_eq(ptr, i32, i32) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_count(ptr, i64, i32) #0

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_fn_near(ptr, i64, i32, i32, double) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_weight_kg(ptr, i64) #0

; Function Attrs: nounwind memory(read)
declare double @tusk_fn_len(ptr, i64) #0

; Function Attrs: nounwind
define void @tusk_eval_batch(ptr noalias noundef readonly %records, i64 noundef %count, ptr noalias noundef %out) #1 {
entry:
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
  %8 = call double @tusk_fn_count(ptr %host, i64 582, i32 0)
  %9 = fcmp oge double %8, 2.000000e+00
  br i1 %9, label %or.done, label %or.next

or.done:                                          ; preds = %and.done, %rule.carved
  %fired.carved = phi i1 [ true, %rule.carved ], [ %and, %and.done ]
  %10 = getelementptr inbounds i8, ptr %fired, i64 0
  %11 = zext i1 %fired.carved to i8
  store i8 %11, ptr %10, align 1
  %score = select i1 %fired.carved, double 2.000000e+01, double 0.000000e+00
  br label %rule.antique

or.next:                                          ; preds = %rule.carved
  %12 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %13 = load i64, ptr %12, align 8
  %14 = and i64 %13, 582
  %hit.names = icmp ne i64 %14, 0
  br i1 %hit.names, label %and.next, label %and.done

and.done:                                         ; preds = %and.next1, %and.next, %or.next
  %and = phi i1 [ false, %or.next ], [ false, %and.next ], [ %18, %and.next1 ]
  br label %or.done

and.next:                                         ; preds = %or.next
  %15 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %16 = load i64, ptr %15, align 8
  %17 = and i64 %16, 582
  %hit.carving = icmp ne i64 %17, 0
  br i1 %hit.carving, label %and.next1, label %and.done

and.next1:                                        ; preds = %and.next
  %18 = call i1 @tusk_fn_near(ptr %host, i64 582, i32 0, i32 1, double 4.000000e+00)
  br label %and.done

rule.antique:                                     ; preds = %or.done
  %19 = call i1 @tusk_host_text_in_set(ptr %host, i32 5, i32 0)
  br i1 %19, label %and.next3, label %and.done2

and.done2:                                        ; preds = %and.next4, %and.next3, %rule.antique
  %fired.antique = phi i1 [ false, %rule.antique ], [ false, %and.next3 ], [ %26, %and.next4 ]
  %20 = getelementptr inbounds i8, ptr %fired, i64 1
  %21 = zext i1 %fired.antique to i8
  store i8 %21, ptr %20, align 1
  %22 = fadd double %score, 1.000000e+01
  %score6 = select i1 %fired.antique, double %22, double %score
  br label %rule.heavy

and.next3:                                        ; preds = %rule.antique
  %23 = call i1 @tusk_host_text_fields_eq(ptr %host, i32 1, i32 10)
  %24 = xor i1 %23, true
  br i1 %24, label %and.next4, label %and.done2

and.next4:                                        ; preds = %and.next3
  %25 = call double @tusk_fn_len(ptr %host, i64 2)
  %26 = fcmp ogt double %25, 3.000000e+00
  br label %and.done2

rule.heavy:                                       ; preds = %and.done2
  %27 = getelementptr inbounds i64, ptr %slot_fields, i64 2
  %28 = load i64, ptr %27, align 8
  %29 = and i64 %28, 2
  %hit.weight_re = icmp ne i64 %29, 0
  br i1 %hit.weight_re, label %and.next8, label %and.done7

and.done7:                                        ; preds = %and.next8, %rule.heavy
  %fired.heavy = phi i1 [ false, %rule.heavy ], [ %35, %and.next8 ]
  %30 = getelementptr inbounds i8, ptr %fired, i64 2
  %31 = zext i1 %fired.heavy to i8
  store i8 %31, ptr %30, align 1
  %32 = fadd double %score6, 2.500000e+01
  %score10 = select i1 %fired.heavy, double %32, double %score6
  %33 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score10, ptr %33, align 8
  br label %decide.0

and.next8:                                        ; preds = %rule.heavy
  %34 = call double @tusk_fn_weight_kg(ptr %host, i64 582)
  %35 = fcmp ogt double %34, 1.000000e+00
  br label %and.done7

decided:                                          ; preds = %decide.1.else, %or.done11, %decide.0
  %branch = phi i32 [ 0, %decide.0 ], [ 1, %or.done11 ], [ -1, %decide.1.else ]
  %36 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %36, align 4
  br label %suggest.0

decide.0:                                         ; preds = %and.done7
  %37 = fcmp oge double %score10, 4.000000e+01
  br i1 %37, label %decided, label %decide.0.else

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
  %and15 = phi i1 [ false, %suggest.0 ], [ %41, %and.next14 ]
  %38 = getelementptr inbounds i8, ptr %suggested, i64 0
  %39 = zext i1 %and15 to i8
  store i8 %39, ptr %38, align 1
  %i.next = add nuw i64 %i, 1
  %40 = icmp ult i64 %i.next, %count
  br i1 %40, label %record, label %exit

and.next14:                                       ; preds = %suggest.0
  %41 = xor i1 %fired.antique, true
  br label %and.done13
}

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
