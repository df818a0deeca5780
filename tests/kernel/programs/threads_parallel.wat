;; Two threads of one process pass a turn back and forth through shared memory, each spinning
;; for it. A pass counts as quick when the other thread answered within 1000 turns of the
;; waiter's own spin loop, far less than one fuel slice. Threads that take turns on the workers
;; (one running while the other waits for its slice) can only answer at a slice boundary, so
;; they almost never answer quickly, and never 100 times in a row; threads that run at once on
;; two workers do so within microseconds. Exits with 1 after 100 quick passes in a row, 2 after
;; 1,000,000 passes without (or the test's timeout ends it first).
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64 the turn, 68 the outcome, 256 the event.
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
  ;; One side of the game: waits for a turn of parity $side, passes it on, until an outcome.
  (func $play (param $side i32) (local $turn i32) (local $spins i32) (local $streak i32) (local $passes i32)
    (loop $pass
      (local.set $spins (i32.const 0))
      (block $mine
        (loop $wait
          (local.set $turn (i32.atomic.load (i32.const 64)))
          (br_if $mine (i32.eq (i32.and (local.get $turn) (i32.const 1)) (local.get $side)))
          (if (i32.atomic.load (i32.const 68)) (then (return)))
          (local.set $spins (i32.add (local.get $spins) (i32.const 1)))
          (br $wait)))
      (if (i32.le_u (local.get $spins) (i32.const 1000))
        (then (local.set $streak (i32.add (local.get $streak) (i32.const 1))))
        (else (local.set $streak (i32.const 0))))
      (if (i32.ge_u (local.get $streak) (i32.const 100))
        (then (i32.atomic.store (i32.const 68) (i32.const 1)) (return)))
      (local.set $passes (i32.add (local.get $passes) (i32.const 1)))
      (if (i32.ge_u (local.get $passes) (i32.const 1000000))
        (then (i32.atomic.store (i32.const 68) (i32.const 2)) (return)))
      (i32.atomic.store (i32.const 64) (i32.add (local.get $turn) (i32.const 1)))
      (br $pass)))
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32)
    (call $play (i32.const 1)))
  (func (export "_start") (result i32) (local $kind i32)
    (call $setup)
    (local.set $kind (call $spawn (i32.const 0)))
    (if (i32.ne (local.get $kind) (i32.const 2)) (then (return (i32.add (i32.const 100) (local.get $kind)))))
    (call $play (i32.const 0))
    (i32.atomic.load (i32.const 68))))
