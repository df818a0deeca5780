;; Runtime tests: imports whose types the embedder gets wrong.
(module
  (import "env" "f" (func (param i32) (result i32)))
  (import "env" "memory" (memory 2 4))
  (import "env" "g" (global (mut i64)))
)
