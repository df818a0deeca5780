;; memory.atomic.notify wakes waiters oldest first and returns how many it woke. Three threads
;; note their place (64) and wait at 128; the main thread wakes one, then two, then finds none,
;; and checks that the order woken (768..) is the order of waiting (512..). Exit 0, or the
;; number of the check that failed.
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
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32) (local $place i32)
    ;; Straight-line from the note to the wait: a thread is only preempted at calls and loops.
    (local.set $place (i32.atomic.rmw.add (i32.const 64) (i32.const 1)))
    (i32.atomic.store (i32.add (i32.const 512) (i32.shl (local.get $place) (i32.const 2))) (local.get $thread))
    (drop (memory.atomic.notify (i32.const 64) (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const -1)))
    (local.set $place (i32.atomic.rmw.add (i32.const 68) (i32.const 1)))
    (i32.atomic.store (i32.add (i32.const 768) (i32.shl (local.get $place) (i32.const 2))) (local.get $thread))
    (drop (memory.atomic.notify (i32.const 68) (i32.const 1))))
  ;; Waits until the counter at `address` reaches `target`.
  (func $await (param $address i32) (param $target i32) (local $seen i32)
    (block $reached
      (loop $again
        (local.set $seen (i32.atomic.load (local.get $address)))
        (br_if $reached (i32.ge_u (local.get $seen) (local.get $target)))
        (drop (memory.atomic.wait32 (local.get $address) (local.get $seen) (i64.const -1)))
        (br $again))))
  (func (export "_start") (result i32) (local $i i32)
    (call $setup)
    (loop $spawn_more
      (if (i32.ne (call $spawn (i32.const 0)) (i32.const 2)) (then (return (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn_more (i32.lt_u (local.get $i) (i32.const 3))))
    (call $await (i32.const 64) (i32.const 3))
    (if (i32.ne (memory.atomic.notify (i32.const 128) (i32.const 1)) (i32.const 1)) (then (return (i32.const 2))))
    (call $await (i32.const 68) (i32.const 1))
    (if (i32.ne (memory.atomic.notify (i32.const 128) (i32.const 2)) (i32.const 2)) (then (return (i32.const 3))))
    (call $await (i32.const 68) (i32.const 3))
    (if (i32.ne (memory.atomic.notify (i32.const 128) (i32.const 5)) (i32.const 0)) (then (return (i32.const 4))))
    (local.set $i (i32.const 0))
    (loop $compare
      (if (i32.ne (i32.load (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 2))))
                  (i32.load (i32.add (i32.const 768) (i32.shl (local.get $i) (i32.const 2)))))
        (then (return (i32.add (i32.const 10) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $compare (i32.lt_u (local.get $i) (i32.const 3))))
    (i32.const 0)))
