;; Runtime tests: call_indirect and its traps.
(module
  (type $i_i (func (param i32) (result i32)))
  (type $v_i (func (result i32)))
  (table $t (export "table") 4 funcref)
  (elem (table $t) (i32.const 0) func $double $seven $double)
  (func $double (type $i_i) (i32.mul (local.get 0) (i32.const 2)))
  (func $seven (type $v_i) (i32.const 7))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $i_i) (local.get 1) (local.get 0)))
  ;; Recursion through the table: deep enough to exhaust the call stack.
  (func $self (export "self") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call_indirect $t (type $i_i) (i32.sub (local.get 0) (i32.const 1)) (i32.const 3)))))
  (elem (table $t) (i32.const 3) func $self)
)
