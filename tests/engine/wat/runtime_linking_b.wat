;; Runtime tests: calls into another instance must switch to that instance's memory.
(module
  (import "a" "poke" (func $poke (param i32 i32)))
  (import "a" "peek" (func $peek (param i32) (result i32)))
  (import "a" "count" (global $count (mut i32)))
  (memory 1)
  (func (export "run") (result i32)
    (i32.store (i32.const 8) (i32.const 111))   ;; our memory
    (call $poke (i32.const 8) (i32.const 222))  ;; their memory
    ;; ours must still read 111 after the call returns, theirs 222
    (i32.add (i32.mul (i32.load (i32.const 8)) (i32.const 1000)) (call $peek (i32.const 8))))
  (func (export "count") (result i32) (global.get $count))
)
