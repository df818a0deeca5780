;; A host import called from the bottom of a deep call chain, for the suspension tests in
;; tests/engine/resumable_test.cpp: `chain depth count` recurses `depth` frames, asks the host
;; `count` times, and on the way back every frame adds depth * 1000003, so a frame whose locals
;; were lost while suspended changes the result.
(module
  (import "host" "next" (func $next (param i32) (result i32)))

  (func $chain (export "chain") (param $depth i32) (param $count i32) (result i64)
    (local $i i32) (local $sum i64)
    (if (result i64) (i32.gt_u (local.get $depth) (i32.const 0))
      (then
        (i64.add
          (call $chain (i32.sub (local.get $depth) (i32.const 1)) (local.get $count))
          (i64.mul (i64.extend_i32_u (local.get $depth)) (i64.const 1000003))))
      (else
        (block $done
          (loop $ask
            (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
            ;; sum = sum * 31 + next(i)
            (local.set $sum
              (i64.add (i64.mul (local.get $sum) (i64.const 31))
                       (i64.extend_i32_u (call $next (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $ask)))
        (local.get $sum))))
)
