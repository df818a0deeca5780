;; Runtime tests (tests/engine/interpreter_test.cpp): arithmetic, traps, multi-value, and the
;; compiler's risky spots: deferred local.get, local.set folding, fused compare-and-branch,
;; branches carrying values, br_table stubs and loops with parameters.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "unreachable") (result i32) unreachable)
  (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))

  ;; (a, b) -> (b, a): both results come straight from locals, written over those locals.
  (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  ;; local.get deferred across a write to the same local: the old value must survive.
  (func (export "old_and_new") (param i32) (result i32 i32)
    (local.get 0)
    (local.set 0 (i32.add (local.get 0) (i32.const 10)))
    (local.get 0))
  ;; tee folded into an add whose operand is the same local.
  (func (export "tee_twice") (param i32) (result i32)
    (i32.add (local.tee 0 (i32.mul (local.get 0) (local.get 0))) (local.get 0)))
  ;; Three results from a call, reordered through locals.
  (func $three (param i32) (result i32 i64 i32)
    (local.get 0) (i64.extend_i32_s (local.get 0)) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "three_sum") (param i32) (result i64)
    (local $a i32) (local $b i64) (local $c i32)
    (call $three (local.get 0))
    (local.set $c) (local.set $b) (local.set $a)
    (i64.add (local.get $b) (i64.extend_i32_s (i32.sub (local.get $c) (local.get $a)))))
  ;; A block with parameters and two results; branches carry values over junk on the stack.
  (func (export "block_params") (param i32 i32) (result i32 i32)
    (local.get 0) (local.get 1)
    (block (param i32 i32) (result i32 i32)
      (local.set 0) (local.set 1)
      (i32.const 1000) ;; junk under the branch values
      (br_if 0 (local.get 1) (local.get 0) (i32.eqz (local.get 0)))
      (drop) (drop)
      (local.get 0) (local.get 1)
      (br 0)))
  ;; br_table with values to each of three targets, and the function label.
  (func (export "table") (param i32) (result i32)
    (block $outer (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 1000) (drop)
          (i32.add (local.get 0) (i32.const 100))
          (local.get 0)
          (br_table $a $b $outer 3 (local.get 0)))
        (i32.add (i32.const 1)))
      (i32.add (i32.const 2))))
  ;; A loop with a parameter, counted down with a fused compare-and-branch.
  (func (export "loop_param") (param i32) (result i32)
    (local $n i32)
    (local.set $n (local.get 0))
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  ;; if/else with a result, the condition fused from a comparison.
  (func (export "max") (param i32 i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (local.get 1))
      (then (local.get 1)) (else (local.get 0))))
  ;; br_if out of a block carrying a deferred local while the local changes on the fall-through.
  (func (export "br_if_value") (param i32) (result i32)
    (block (result i32)
      (local.get 0)
      (br_if 0 (i32.eqz (local.get 0)))
      (local.set 0 (i32.const 5))
      (i32.add (local.get 0))))
  ;; select with all operands deferred.
  (func (export "select") (param i32 i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (local.get 2)))
  ;; A block result folded into local.set must not break the branch that also produces it.
  (func (export "block_set") (param i32) (result i32)
    (local $x i32)
    (local.set $x
      (block (result i32)
        (drop (br_if 0 (i32.const 42) (local.get 0)))
        (i32.add (i32.const 1) (i32.const 2))))
    (local.get $x))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "sum_loop") (param $n i32) (result i64)
    (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $sum))
)
