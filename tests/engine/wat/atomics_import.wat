;; Threads proposal: a module that imports a shared memory; an unshared one must not satisfy it.
(module
  (import "env" "memory" (memory 1 2 shared))
  (func (export "i32.atomic.rmw.xchg") (param i32 i32) (result i32) (i32.atomic.rmw.xchg (local.get 0) (local.get 1)))
)
