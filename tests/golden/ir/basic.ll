; ModuleID = 'tusk.golden.ir_basic'
source_filename = "tusk.golden.ir_basic"

%tusk.EvalRecord = type { i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr }
%tusk.JitOut = type { ptr, ptr, double, i32, i32, ptr }

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
  br i1 %hit.names, label %and.next, label %and.done

and.done:                                         ; preds = %and.next, %rule.named
  %fired.named = phi i1 [ false, %rule.named ], [ %16, %and.next ]
  %11 = getelementptr inbounds i8, ptr %fired, i64 0
  %12 = zext i1 %fired.named to i8
  store i8 %12, ptr %11, align 1
  %score = select i1 %fired.named, double 3.000000e+01, double 0.000000e+00
  br label %rule.titled

and.next:                                         ; preds = %rule.named
  %13 = getelementptr inbounds i64, ptr %slot_fields, i64 1
  %14 = load i64, ptr %13, align 8
  %15 = and i64 %14, 582
  %hit.guards = icmp ne i64 %15, 0
  %16 = xor i1 %hit.guards, true
  br label %and.done

rule.titled:                                      ; preds = %and.done
  br i1 %fired.named, label %or.done, label %or.next

or.done:                                          ; preds = %or.next, %rule.titled
  %fired.titled = phi i1 [ true, %rule.titled ], [ %hit.names1, %or.next ]
  %17 = getelementptr inbounds i8, ptr %fired, i64 1
  %18 = zext i1 %fired.titled to i8
  store i8 %18, ptr %17, align 1
  %19 = fadd double %score, 1.500000e+01
  %score2 = select i1 %fired.titled, double %19, double %score
  %20 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 2
  store double %score2, ptr %20, align 8
  br label %decide.0

or.next:                                          ; preds = %rule.titled
  %21 = getelementptr inbounds i64, ptr %slot_fields, i64 0
  %22 = load i64, ptr %21, align 8
  %23 = and i64 %22, 2
  %hit.names1 = icmp ne i64 %23, 0
  br label %or.done

decided:                                          ; preds = %decide.2, %decide.1, %and.done3
  %branch = phi i32 [ 0, %and.done3 ], [ 1, %decide.1 ], [ 2, %decide.2 ]
  %24 = getelementptr inbounds %tusk.JitOut, ptr %out.rec, i32 0, i32 3
  store i32 %branch, ptr %24, align 4
  %i.next = add nuw i64 %i, 1
  %25 = icmp ult i64 %i.next, %count
  br i1 %25, label %record, label %exit

decide.0:                                         ; preds = %or.done
  br i1 %fired.named, label %and.next4, label %and.done3

and.done3:                                        ; preds = %and.next4, %decide.0
  %and = phi i1 [ false, %decide.0 ], [ %fired.titled, %and.next4 ]
  br i1 %and, label %decided, label %decide.0.else

and.next4:                                        ; preds = %decide.0
  br label %and.done3

decide.0.else:                                    ; preds = %and.done3
  br label %decide.1

decide.1:                                         ; preds = %decide.0.else
  %26 = fcmp oge double %score2, 3.000000e+01
  br i1 %26, label %decided, label %decide.1.else

decide.1.else:                                    ; preds = %decide.1
  br label %decide.2

decide.2:                                         ; preds = %decide.1.else
  br label %decided
}

attributes #0 = { nounwind memory(read) }
attributes #1 = { nounwind }
