;; Made for threads, but it also imports a host function from an import provider (the test's
;; `provider.nothing`, as a WASI program would from wasi_snapshot_preview1), whose per-process
;; state serves one thread: asks for a thread and exits with the answer's event kind (3, an error
;; answer).
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64.. counters, 128 a word nobody
;; changes, 256 the event.
(module
  (import "hashos" "emit_message" (func $emit (param i32 i32 i32 i32 i32) (result i32)))
  (import "hashos" "next_message" (func $next (param i32 i32 i32 i32 i32) (result i32)))
  (import "provider" "nothing" (func $nothing))
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
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32))
  (func (export "_start") (result i32)
    (call $setup)
    (call $spawn (i32.const 0))))
