;; The main thread and two others each make 2000 round trips to the ping interface at once (a
;; handler that echoes the body), each with its own buffers, and check every answer: syscalls of
;; one process made at the same time on several workers. Exits with 0 when every answer was its
;; own message's echo, else with the first failed check's number (plus 10 * the player).
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64 players done, 68 the first error,
;; 256 the event; player P (0 main, 1 and 2 the threads) works at 4096 * (P + 1): the ping hash
;; (32 bytes of 0x22), the body (8 bytes: P, round), the message id, the event.
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
  ;; 2000 round trips for `player`: 0 when all were right, else the failed check's number.
  (func $rounds (param $player i32) (result i32) (local $base i32) (local $round i32) (local $size i32)
    (local.set $base (i32.mul (i32.add (local.get $player) (i32.const 1)) (i32.const 4096)))
    (i64.store (local.get $base) (i64.const 0x2222222222222222))
    (i64.store offset=8 (local.get $base) (i64.const 0x2222222222222222))
    (i64.store offset=16 (local.get $base) (i64.const 0x2222222222222222))
    (i64.store offset=24 (local.get $base) (i64.const 0x2222222222222222))
    (loop $round_trip
      (i32.store offset=32 (local.get $base) (local.get $player))
      (i32.store offset=36 (local.get $base) (local.get $round))
      ;; flags 3: an answer is wanted, and the message may wait for a handler
      (if (i32.ne (call $emit (local.get $base) (i32.add (local.get $base) (i32.const 32)) (i32.const 8) (i32.const 3)
                     (i32.add (local.get $base) (i32.const 48))) (i32.const 0))
        (then (return (i32.const 1))))
      (local.set $size (call $next (i32.add (local.get $base) (i32.const 48)) (i32.const 1)
        (i32.add (local.get $base) (i32.const 64)) (i32.const 256) (i32.const 1)))
      (if (i32.ne (local.get $size) (i32.const 64)) (then (return (i32.const 2))))
      ;; an ANSWER (kind 2) to this message, whose body is this round's
      (if (i32.ne (i32.load8_u offset=64 (local.get $base)) (i32.const 2)) (then (return (i32.const 3))))
      (if (i64.ne (i64.load offset=72 (local.get $base)) (i64.load offset=48 (local.get $base))) (then (return (i32.const 4))))
      (if (i32.ne (i32.load offset=120 (local.get $base)) (local.get $player)) (then (return (i32.const 5))))
      (if (i32.ne (i32.load offset=124 (local.get $base)) (local.get $round)) (then (return (i32.const 6))))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $round_trip (i32.lt_u (local.get $round) (i32.const 2000))))
    (i32.const 0))
  (func $play (param $player i32) (local $error i32)
    (local.set $error (call $rounds (local.get $player)))
    (if (local.get $error)
      (then (drop (i32.atomic.rmw.cmpxchg (i32.const 68) (i32.const 0)
        (i32.add (local.get $error) (i32.mul (local.get $player) (i32.const 10)))))))
    (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 64) (i32.const 1))))
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32)
    (call $play (local.get $argument)))
  (func (export "_start") (result i32) (local $done i32)
    (call $setup)
    (if (i32.ne (call $spawn (i32.const 1)) (i32.const 2)) (then (return (i32.const 100))))
    (if (i32.ne (call $spawn (i32.const 2)) (i32.const 2)) (then (return (i32.const 101))))
    (call $play (i32.const 0))
    (block $all_done
      (loop $again
        (local.set $done (i32.atomic.load (i32.const 64)))
        (br_if $all_done (i32.ge_u (local.get $done) (i32.const 3)))
        (drop (memory.atomic.wait32 (i32.const 64) (local.get $done) (i64.const -1)))
        (br $again)))
    (i32.atomic.load (i32.const 68))))
