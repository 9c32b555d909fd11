; ModuleID = 'tusk.golden.ir_basic'
source_filename = "tusk.golden.ir_basic"

%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32, ptr }

@rule_score = private unnamed_addr constant [2 x double] [double 3.000000e+01, double 1.500000e+01]

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_in_set(ptr, i32, i32) #0

; Function Attrs: nounwind memory(read)
declare zeroext i1 @tusk_host_text_fields_eq(ptr, i32, i32) #0

; Function Attrs: nounwind
define void @tusk_eval_batch(ptr noalias noundef readonly %records, i64 noundef %count, ptr noalias noundef %out) #1 {
entry:
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
  br label %rule.named

exit:                                             ; preds = %decided, %entry
  ret void

rule.named:                                       ; preds = %record
  %8 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %9 = load i64, ptr %8, align 8
  %10 = and i64 %9, 582
  %hit.names = icmp ne i64 %10, 0
  br i1 %hit.names, label %and.next, label %and.done, !prof !0

and.done:                                         ; preds = %and.next, %rule.named
  %fired.named = phi i1 [ false, %rule.named ], [ %16, %and.next ]
  %11 = getelementptr inbounds i8, ptr %fired, i64 0
  %12 = zext i1 %fired.named to i8
  store i8 %12, ptr %11, align 1
  br label %rule.titled

and.next:                                         ; preds = %rule.named
  %13 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %14 = load i64, ptr %13, align 8
  %15 = and i64 %14, 582
  %hit.guards = icmp ne i64 %15, 0
  %16 = xor i1 %hit.guards, true
  br label %and.done

rule.titled:                                      ; preds = %and.done
  br i1 %fired.named, label %or.done, label %or.next, !prof !0

or.done:                                          ; preds = %or.next, %rule.titled
  %fired.titled = phi i1 [ true, %rule.titled ], [ %hit.names1, %or.next ]
  %17 = getelementptr inbounds i8, ptr %fired, i64 1
  %18 = zext i1 %fired.titled to i8
  store i8 %18, ptr %17, align 1
  %19 = zext i1 %fired.named to i64
  %20 = shl i64 %19, 0
  %21 = or i64 0, %20
  %22 = zext i1 %fired.titled to i64
  %23 = shl i64 %22, 1
  %24 = or i64 %21, %23
  br label %score.test

or.next:                                          ; preds = %rule.titled
  %25 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %26 = load i64, ptr %25, align 8
  %27 = and i64 %26, 2
  %hit.names1 = icmp ne i64 %27, 0
  br label %or.done

score.test:                                       ; preds = %score.add, %or.done
  %score.bits = phi i64 [ %24, %or.done ], [ %35, %score.add ]
  %score = phi double [ 0.000000e+00, %or.done ], [ %33, %score.add ]
  %28 = icmp eq i64 %score.bits, 0
  br i1 %28, label %score.done, label %score.add

score.add:                                        ; preds = %score.test
  %29 = call i64 @llvm.cttz.i64(i64 %score.bits, i1 true)
  %30 = add i64 %29, 0
  %31 = getelementptr inbounds [2 x double], ptr @rule_score, i64 0, i64 %30
  %32 = load double, ptr %31, align 8
  %33 = fadd double %score, %32
  %34 = sub i64 %score.bits, 1
  %35 = and i64 %score.bits, %34
  br label %score.test

score.done:                                       ; preds = %score.test
  %36 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score, ptr %36, align 8
  br label %decide.0

decided:                                          ; preds = %decide.2, %decide.1, %and.done2
  %branch = phi i32 [ 0, %and.done2 ], [ 1, %decide.1 ], [ 2, %decide.2 ]
  %37 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %37, align 4
  %i.next = add nuw i64 %i, 1
  %38 = icmp ult i64 %i.next, %count
  br i1 %38, label %record, label %exit

decide.0:                                         ; preds = %score.done
  br i1 %fired.named, label %and.next3, label %and.done2, !prof !0

and.done2:                                        ; preds = %and.next3, %decide.0
  %and = phi i1 [ false, %decide.0 ], [ %fired.titled, %and.next3 ]
  br i1 %and, label %decided, label %decide.0.else

and.next3:                                        ; preds = %decide.0
  br label %and.done2

decide.0.else:                                    ; preds = %and.done2
  br label %decide.1

decide.1:                                         ; preds = %decide.0.else
  %39 = fcmp oge double %score, 3.000000e+01
  br i1 %39, label %decided, label %decide.1.else

decide.1.else:                                    ; preds = %decide.1
  br label %decide.2

decide.2:                                         ; preds = %decide.1.else
  br label %decided
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare i64 @llvm.cttz.i64(i64, i1 immarg) #2

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
attributes #2 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }

!0 = !{!"branch_weights", i32 1, i32 64}
