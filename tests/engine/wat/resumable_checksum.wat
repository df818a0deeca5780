;; A checksum loop for the resumability tests: calls, blocks, memory and a global all carry state
;; across every point where run(fuel) may stop. tests/engine/resumable_test.cpp recomputes it in C++.
(module
  (memory 1)
  (global $sum (mut i64) (i64.const 0))

  (func $mix (param $x i64) (param $i i32) (result i64)
    (i64.xor
      (i64.mul (local.get $x) (i64.const 6364136223846793005))
      (i64.add (i64.extend_i32_u (local.get $i)) (i64.const 1442695040888963407))))

  (func (export "checksum") (param $n i32) (result i64)
    (local $i i32) (local $x i64)
    (global.set $sum (i64.const 0))
    (local.set $x (i64.const 0x12345678))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (call $mix (local.get $x) (local.get $i)))
        ;; memory[i % 1024] = x
        (i64.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 3)) (local.get $x))
        ;; every 8th step: sum += memory[(i / 8) % 1024], a slot written earlier in this call
        (if (i32.eqz (i32.and (local.get $i) (i32.const 7)))
          (then
            (global.set $sum
              (i64.add (global.get $sum)
                (i64.load (i32.shl (i32.and (i32.shr_u (local.get $i) (i32.const 3)) (i32.const 1023))
                                   (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.xor (local.get $x) (global.get $sum)))
)
