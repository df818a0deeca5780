;; Runtime tests: memory grow, bounds and bulk operations.
(module
  (memory (export "memory") 1 3)
  (data (i32.const 16) "hello")
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load offset=0 (local.get 0)))
  (func (export "load_offset") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
)
