;; Two threads grow the shared memory a page at a time, 100 times each, while the main thread
;; reads every new page as soon as it is announced, with plain loads: its interpreter's cached
;; memory size is stale by then, so each read goes through the bounds check's slow path
;; (docs/engine-threads.md). Each grower writes its thread id at the start of its new page,
;; then announces the page (atomic store at 64); concurrent grows must each get their own old
;; size (a bitmap of pages at 1024 catches a page given twice). Exits with 0 when the memory
;; ended at 201 pages with every new page marked by one grower, else with the failed check's
;; number. A read out of bounds traps, which ends the process.
;; Shared by the threads tests: the thread interface hash (32 bytes of 0x77, as
;; tests/kernel/kernel_fixture.h) written at 0, Spawn(argument) through emit_message and a blocking
;; next_message. Memory: 0 hash, 32 body, 48 message id, 64 the last page announced, 68 growers
;; done, 72 errors, 256 the event, 1024 the bitmap of pages handed out.
(module
  (import "hashos" "emit_message" (func $emit (param i32 i32 i32 i32 i32) (result i32)))
  (import "hashos" "next_message" (func $next (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 201 shared))
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
  (func (export "hashos_thread_start") (param $thread i32) (param $argument i32) (local $i i32) (local $old i32) (local $bit i32)
    (loop $grow
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.eq (local.get $old) (i32.const -1))
        (then (drop (i32.atomic.rmw.or (i32.const 72) (i32.const 1))))
        (else
          (i32.store (i32.mul (local.get $old) (i32.const 65536)) (local.get $thread))
          (local.set $bit (i32.shl (i32.const 1) (i32.and (local.get $old) (i32.const 31))))
          (if (i32.and (local.get $bit)
                (i32.atomic.rmw.or (i32.add (i32.const 1024) (i32.shl (i32.shr_u (local.get $old) (i32.const 5)) (i32.const 2)))
                  (local.get $bit)))
            (then (drop (i32.atomic.rmw.or (i32.const 72) (i32.const 2)))))
          (i32.atomic.store (i32.const 64) (local.get $old))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $grow (i32.lt_u (local.get $i) (i32.const 100))))
    (drop (i32.atomic.rmw.add (i32.const 68) (i32.const 1))))
  (func $marked (param $page i32) (result i32) (local $mark i32)
    (local.set $mark (i32.load (i32.mul (local.get $page) (i32.const 65536))))
    (i32.or (i32.eq (local.get $mark) (i32.const 2)) (i32.eq (local.get $mark) (i32.const 3))))
  (func (export "_start") (result i32) (local $kind i32) (local $page i32)
    (call $setup)
    (local.set $kind (call $spawn (i32.const 0)))
    (if (i32.ne (local.get $kind) (i32.const 2)) (then (return (i32.add (i32.const 100) (local.get $kind)))))
    (local.set $kind (call $spawn (i32.const 0)))
    (if (i32.ne (local.get $kind) (i32.const 2)) (then (return (i32.add (i32.const 100) (local.get $kind)))))
    ;; Reads each announced page while the growers go on.
    (loop $watch
      (local.set $page (i32.atomic.load (i32.const 64)))
      (if (local.get $page)
        (then (if (i32.eqz (call $marked (local.get $page))) (then (return (i32.const 3))))))
      (br_if $watch (i32.lt_u (i32.atomic.load (i32.const 68)) (i32.const 2))))
    (if (i32.atomic.load (i32.const 72)) (then (return (i32.add (i32.const 10) (i32.atomic.load (i32.const 72))))))
    (if (i32.ne (memory.size) (i32.const 201)) (then (return (i32.const 4))))
    (local.set $page (i32.const 1))
    (loop $check
      (if (i32.eqz (call $marked (local.get $page))) (then (return (i32.const 5))))
      (local.set $page (i32.add (local.get $page) (i32.const 1)))
      (br_if $check (i32.lt_u (local.get $page) (i32.const 201))))
    (i32.const 0)))
