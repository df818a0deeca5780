#include "handlers/host_error.h"

#include "handlers/wire.h"

#include "error.pb.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace hashos::handlers {

kernel::ErrorCode error_code_for_errno(int error)
{
    using kernel::ErrorCode;
    switch (error) {
    case ENOENT:
    case EBADF:
    case ENOTCONN:
    case EADDRNOTAVAIL:
    case EHOSTUNREACH:
    case ENETUNREACH:
        return ErrorCode::NotFound;
    case EEXIST:
    case EADDRINUSE:
    case EISCONN:
        return ErrorCode::AlreadyExists;
    case EACCES:
    case EPERM:
    case EROFS:
    case EXDEV:
        return ErrorCode::PermissionDenied;
    case ENOTDIR:
    case EISDIR:
    case ENOTEMPTY:
    case ELOOP:
    case ENAMETOOLONG:
    case EINVAL:
    case ESPIPE:
    case EAFNOSUPPORT:
    case EMSGSIZE:
        return ErrorCode::InvalidArgument;
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case EFBIG:
    case ENOMEM:
    case ENOBUFS:
        return ErrorCode::ResourceExhausted;
    case EAGAIN:
    case EINTR:
    case EBUSY:
    case ECONNREFUSED:
    case ECONNRESET:
    case ECONNABORTED:
    case EPIPE:
    case ETIMEDOUT:
        return ErrorCode::Unavailable;
    default:
        return ErrorCode::Internal;
    }
}

kernel::Answer host_error(kernel::ErrorCode code, int error, std::string_view message)
{
    hashos_Error body = hashos_Error_init_zero;
    body.code = hashos_ErrorCode(code);
    // error.proto: at most 255 bytes, so that every decoder can hold the text in a fixed buffer.
    message = message.substr(0, sizeof(body.message) - 1);
    std::memcpy(body.message, message.data(), message.size());
    body.posix_error = uint32_t(error);
    return kernel::Answer { kernel::AnswerKind::Error, encode(hashos_Error_fields, &body) };
}

kernel::Answer errno_answer(int error, std::string_view what)
{
    std::string message(what);
    message += ": ";
    message += std::strerror(error);
    return host_error(error_code_for_errno(error), error, message);
}

} // namespace hashos::handlers
