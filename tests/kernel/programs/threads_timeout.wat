;; memory.atomic.wait32 on a word nobody changes with a timeout of 50 ms: exits with its result
;; (2, "timed-out"). threads_wait_forever.wat: the same without a timeout.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start") (result i32)
    (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const 50000000))))
