;; Three threads each add their id to a counter and count themselves done; the main thread
;; sleeps in memory.atomic.wait32 until all are, then exits with the sum of the ids (2+3+4 = 9).
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64.. counters, 128 a word nobody
;; changes, 256 the event.
(module
  (import "hashos" "emit_message" (func $emit (param i32 i32 i32 i32 i32) (result i32)))
  (import "hashos" "next_message" (func $next (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $setup
    (i64.store (i32.const 0) (i64.const 0x7777777777777777))
    (i64.store (i32.const 8) (i64.const 0x7777777777777777))
    (i64.store (i32.const 16) (i64.const 0x7777777777777777))
    (i64.store (i32.const 24) (i64.const 0x7777777777777777)))
  ;; thread.Spawn { argument } (argument < 128): the answer's event kind (2 answer, 3 error
  ;; answer) or a negative syscall error.
  (func $spawn (param $argument i32) (result i32) (local $result i32)
    (i32.store8 (i32.const 32) (i32.const 1))
    (i32.store8 (i32.const 33) (i32.const 0x08))
    (i32.store8 (i32.const 34) (local.get $argument))
    (local.set $result (call $emit (i32.const 0) (i32.const 32) (i32.const 3) (i32.const 1) (i32.const 48)))
    (if (i32.lt_s (local.get $result) (i32.const 0)) (then (return (local.get $result))))
    (local.set $result (call $next (i32.const 48) (i32.const 1) (i32.const 256) (i32.const 1024) (i32.const 1)))
    (if (i32.lt_s (local.get $result) (i32.const 0)) (then (return (local.get $result))))
    (i32.load8_u (i32.const 256)))
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32)
    (drop (i32.atomic.rmw.add (i32.const 64) (local.get $thread)))
    (drop (i32.atomic.rmw.add (i32.const 68) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 68) (i32.const 1))))
  (func (export "_start") (result i32) (local $kind i32) (local $done i32) (local $i i32)
    (call $setup)
    (loop $spawn_more
      (local.set $kind (call $spawn (local.get $i)))
      (if (i32.ne (local.get $kind) (i32.const 2)) (then (return (i32.add (i32.const 100) (local.get $kind)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn_more (i32.lt_u (local.get $i) (i32.const 3))))
    (block $all_done
      (loop $again
        (local.set $done (i32.atomic.load (i32.const 68)))
        (br_if $all_done (i32.ge_u (local.get $done) (i32.const 3)))
        (drop (memory.atomic.wait32 (i32.const 68) (local.get $done) (i64.const -1)))
        (br $again)))
    (i32.atomic.load (i32.const 64))))
