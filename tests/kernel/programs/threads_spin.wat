;; Two threads spin forever (never blocked), one per worker: only a kill ends the process.
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64.. counters, 256 the event.
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
  ;; Counts at 64 + 4 * argument forever: a thread that is running, never blocked.
  (func $spin (param $argument i32)
    (loop $forever
      (drop (i32.atomic.rmw.add (i32.add (i32.const 64) (i32.shl (local.get $argument) (i32.const 2))) (i32.const 1)))
      (br $forever)))
  ;; Spins until the counter of `argument` has moved 1000 times: that thread runs.
  (func $await_running (param $argument i32)
    (loop $wait
      (br_if $wait (i32.lt_u (i32.atomic.load (i32.add (i32.const 64) (i32.shl (local.get $argument) (i32.const 2)))) (i32.const 1000)))))
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32)
    (call $spin (local.get $argument)))
  (func (export "_start") (result i32)
    (call $setup)
    (if (i32.ne (call $spawn (i32.const 0)) (i32.const 2)) (then (return (i32.const 100))))
    (call $await_running (i32.const 0))
    (call $spin (i32.const 1))
    (i32.const 0)))
