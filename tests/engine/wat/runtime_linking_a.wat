;; Runtime tests: an instance whose exported function uses its own memory and global.
(module
  (memory (export "memory") 1)
  (global $count (export "count") (mut i32) (i32.const 0))
  (func (export "poke") (param i32 i32)
    (i32.store (local.get 0) (local.get 1))
    (global.set $count (i32.add (global.get $count) (i32.const 1))))
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
)
