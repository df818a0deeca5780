# The export the kernel calls to run a new thread (interfaces/thread.proto): its instance's
# globals are fresh, so the stack pointer is set here, before any C code runs, from the first
# word of the hashos_thread that hashos_thread_spawn passed (thread.c); hashos_thread_main does
# the rest. Written in assembly because C cannot set __stack_pointer.
	.text
	.globaltype	__stack_pointer, i32
	.functype	hashos_thread_main (i32, i32) -> ()

	.export_name	hashos_thread_start, hashos_thread_start
	.globl	hashos_thread_start
	.type	hashos_thread_start,@function
hashos_thread_start:
	.functype	hashos_thread_start (i32, i32) -> ()
	local.get	1
	i32.load	0
	global.set	__stack_pointer
	local.get	0
	local.get	1
	call	hashos_thread_main
	end_function
