/* Client of the `process` interface (interfaces/process.proto): starting programs by CID and
 * waiting for them. */
#ifndef HASHOS_PROCESS_H
#define HASHOS_PROCESS_H

#include "hashos/message.h"

#include "process.interface.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the program `cid` with `argument_count` arguments; its id is written at `process_id`. */
int32_t hashos_process_spawn(const char* cid, const char* const* arguments, uint32_t argument_count,
    uint64_t* process_id);

/* The same, with `environment_count` environment variables ("NAME=value" each) for the child; a
 * child inherits none from its parent. */
int32_t hashos_process_spawn_with_environment(const char* cid, const char* const* arguments,
    uint32_t argument_count, const char* const* environment, uint32_t environment_count, uint64_t* process_id);

/* Waits until the child `process_id` ends; how it ended is written at `result`. */
int32_t hashos_process_wait(uint64_t process_id, hashos_process_WaitResponse* result);

/* Lists the running processes: at most `capacity` entries into `processes`, their number (which
 * may be larger than `capacity`) at `count`. */
int32_t hashos_process_list(hashos_process_ProcessInfo* processes, uint32_t capacity, uint32_t* count);

#ifdef __cplusplus
}
#endif

#endif
