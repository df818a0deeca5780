;; memory.atomic.wait32 on a word nobody changes, without a timeout: never returns.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start") (result i32)
    (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const -1))))
