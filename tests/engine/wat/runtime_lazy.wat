;; Runtime tests: lazy compilation (engine/compiler.h) and recycled stacks and memories
;; (engine/thread_stacks.h, engine/memory_reservations.h). Function indices: 0 start, 1 entry,
;; 2 helper, 3 never, 4 indirect_target, 5 call_indirect, 6 loop_sum, 7 dirty, 8 fresh_local,
;; 9 fill, 10 count_nonzero, 11 grow.
(module
  (type $to_i32 (func (result i32)))
  (memory (export "memory") 1 8)
  (global $started (mut i32) (i32.const 0))
  (table 1 funcref)
  (elem (i32.const 0) $indirect_target)
  (start $start)
  (func $start (global.set $started (i32.const 1)))
  ;; Calls helper: entry and helper compile, `never` stays uncompiled.
  (func (export "entry") (param i32) (result i32)
    (i32.add (call $helper (local.get 0)) (global.get $started)))
  (func $helper (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "never") (result i32) (i32.const 7))
  (func $indirect_target (type $to_i32) (i32.const 42))
  (func (export "call_indirect") (result i32) (call_indirect (type $to_i32) (i32.const 0)))
  ;; A loop and a call per iteration: fuel is charged at entries, loops and back-edges.
  (func (export "loop_sum") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (call $helper (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
  ;; Recurses `depth` times with every local set to garbage, leaving it all over the stacks.
  (func $dirty (export "dirty") (param i32) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (local.set 7 (i64.const -1)) (local.set 8 (i64.const -1))
    (if (local.get 0) (then (call $dirty (i32.sub (local.get 0) (i32.const 1))))))
  ;; The sum of locals never written: zero, whatever ran on the stack before.
  (func (export "fresh_local") (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.add (i64.add (i64.add (local.get 0) (local.get 1)) (i64.add (local.get 2) (local.get 3)))
      (i64.add (i64.add (local.get 4) (local.get 5)) (i64.add (local.get 6) (local.get 7)))))
  ;; Writes 0xff over every byte of the memory.
  (func (export "fill") (memory.fill (i32.const 0) (i32.const 0xff) (i32.mul (memory.size) (i32.const 65536))))
  ;; The number of non-zero bytes in the memory.
  (func (export "count_nonzero") (result i32) (local $at i32) (local $count i32) (local $end i32)
    (local.set $end (i32.mul (memory.size) (i32.const 65536)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (if (i32.load8_u (local.get $at)) (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $count))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
