;; Runtime tests: host functions see their caller's memory, may suspend and may trap.
(module
  (import "host" "write" (func $write (param i32 i32) (result i32)))
  (import "host" "wait" (func $wait (param i32) (result i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "from wasm")
  (func (export "write") (result i32) (call $write (i32.const 100) (i32.const 9)))
  ;; Calls wait n times in a loop and sums both results; locals must survive the suspensions.
  (func (export "waits") (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $a i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $wait (local.get $i))
        (local.set $a)
        (local.set $sum (i32.add (local.get $sum) (i32.add (local.get $a))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
)
