// The `files` handler on its own, in a real temporary directory: every method, and the
// confinement — "..", absolute paths and symbolic links (absolute, relative, chained, through a
// directory handle) never leave a granted root.
#include "handlers/files.h"

#include "error.pb.h"
#include "files.interface.h"
#include "handler_fixture.h"
#include "handlers/host_error.h"

#include <gtest/gtest.h>

#include <pb_decode.h>

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <future>
#include <thread>
#include <fstream>
#include <set>
#include <sstream>

namespace hashos::handlers {

using namespace testing;
namespace fs = std::filesystem;

namespace {

const kernel::ProgramId k_program("bafkreiprogram");
const kernel::SenderId k_sender(7);
const kernel::SenderId k_stranger(8); // runs a program with no grants

std::string read_host_file(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

void write_host_file(const fs::path& path, std::string_view text)
{
    std::ofstream file(path, std::ios::binary);
    file << text;
}

std::span<const uint8_t> bytes_of(const std::string& text)
{
    return { reinterpret_cast<const uint8_t*>(text.data()), text.size() };
}

struct ErrorFacts {
    uint32_t code = 0;
    uint32_t posix_error = 0;
};

ErrorFacts error_facts(const kernel::Answer& answer)
{
    hashos_Error error = hashos_Error_init_zero;
    EXPECT_EQ(answer.kind, kernel::AnswerKind::Error);
    EXPECT_FALSE(decode(answer.body, hashos_Error_fields, &error).is_error());
    return { uint32_t(error.code), error.posix_error };
}

class FilesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_top = fs::temp_directory_path() / ("hashos-files-test-" + std::to_string(::getpid()));
        fs::remove_all(m_top);
        fs::create_directories(m_top / "site" / "docs");
        fs::create_directories(m_top / "secret");
        write_host_file(m_top / "site" / "index.html", "<h1>hello</h1>");
        write_host_file(m_top / "secret" / "key", "the secret");
        // Ways out that must all fail: a relative link up, an absolute link, a link to a link.
        fs::create_symlink("../secret", m_top / "site" / "up");
        fs::create_symlink(m_top / "secret" / "key", m_top / "site" / "absolute");
        fs::create_symlink("up/key", m_top / "site" / "chained");
        // A link that stays inside is fine.
        fs::create_symlink("index.html", m_top / "site" / "home");
        ASSERT_FALSE(m_handler->grant(k_program, { m_top / "site", "/" }).is_error());
    }
    void TearDown() override
    {
        m_loop.stop();
        fs::remove_all(m_top);
    }

    kernel::Answer send(uint64_t method, const pb_msgdesc_t* fields, const void* request, kernel::SenderId sender = k_sender)
    {
        auto answer = call(*m_handler, encode_request(method, fields, request), sender);
        EXPECT_TRUE(answer.has_value());
        return answer ? std::move(*answer) : kernel::Answer::error(kernel::ErrorCode::Internal, "no answer");
    }

    kernel::Answer open(std::string path, bool write = false, bool create = false, uint64_t directory = 0,
        kernel::SenderId sender = k_sender)
    {
        hashos_files_OpenRequest request = hashos_files_OpenRequest_init_zero;
        auto bytes = bytes_of(path);
        attach_bytes(request.path, bytes);
        request.directory = directory;
        request.read = true;
        request.write = write;
        request.create = create;
        return send(hashos_files_Files_METHOD_Open, hashos_files_OpenRequest_fields, &request, sender);
    }

    uint64_t open_handle(std::string path, bool write = false, bool create = false, uint64_t directory = 0)
    {
        auto answer = open(path, write, create, directory);
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok) << decode_error(answer.body).message;
        hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
        EXPECT_FALSE(decode(answer.body, hashos_files_OpenResponse_fields, &response).is_error());
        return response.handle;
    }

    std::string read(uint64_t handle, uint32_t size = 4096)
    {
        hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
        request.handle = handle;
        request.size = size;
        auto answer = send(hashos_files_Files_METHOD_Read, hashos_files_ReadRequest_fields, &request);
        EXPECT_EQ(answer.kind, kernel::AnswerKind::Ok);
        StringField data(1 << 20);
        hashos_files_ReadResponse response = hashos_files_ReadResponse_init_zero;
        data.attach(response.data);
        EXPECT_FALSE(decode(answer.body, hashos_files_ReadResponse_fields, &response).is_error());
        return data.value();
    }

    kernel::Answer path_call(uint64_t method, const pb_msgdesc_t* fields, std::string path)
    {
        // Stat, MakeDirectory, RemoveFile, RemoveDirectory, ReadLink: directory = 1, path = 2.
        hashos_files_RemoveRequest request = hashos_files_RemoveRequest_init_zero;
        auto bytes = bytes_of(path);
        attach_bytes(request.path, bytes);
        return send(method, fields, &request);
    }

    EventLoop m_loop;
    fs::path m_top;
    std::shared_ptr<FilesHandler> m_handler = std::make_shared<FilesHandler>(m_loop,
        [](kernel::SenderId sender) -> std::optional<kernel::ProgramId> {
            if (sender == k_sender)
                return k_program;
            return kernel::ProgramId("bafkreiother");
        });
};

} // namespace

TEST(DirectoryGrant, ParsesHostAndGuestPaths)
{
    auto both = parse_directory_grant("/srv/site:/www/./root/");
    ASSERT_FALSE(both.is_error());
    EXPECT_EQ(both->host_path, "/srv/site");
    EXPECT_EQ(both->guest_path, "/www/root");
    auto host_only = parse_directory_grant("/srv/site/");
    ASSERT_FALSE(host_only.is_error());
    EXPECT_EQ(host_only->guest_path, "/site");
    EXPECT_TRUE(parse_directory_grant("/srv:/a/../b").is_error());
    EXPECT_TRUE(parse_directory_grant(":/x").is_error());
    EXPECT_EQ(both->access, Access::ReadWrite);

    auto read_only = parse_directory_grant("/srv/site:/www:ro");
    ASSERT_FALSE(read_only.is_error());
    EXPECT_EQ(read_only->host_path, "/srv/site");
    EXPECT_EQ(read_only->guest_path, "/www");
    EXPECT_EQ(read_only->access, Access::ReadOnly);
    auto default_guest = parse_directory_grant("/srv/site:ro");
    ASSERT_FALSE(default_guest.is_error());
    EXPECT_EQ(default_guest->host_path, "/srv/site");
    EXPECT_EQ(default_guest->guest_path, "/site");
    EXPECT_EQ(default_guest->access, Access::ReadOnly);
    auto explicit_write = parse_directory_grant("/srv/a:ro:rw"); // a host path that ends in ":ro"
    ASSERT_FALSE(explicit_write.is_error());
    EXPECT_EQ(explicit_write->host_path, "/srv/a:ro");
    EXPECT_EQ(explicit_write->access, Access::ReadWrite);
    EXPECT_TRUE(parse_directory_grant(":ro").is_error());
}

// Under a read-only grant everything that looks works and everything that changes is EROFS,
// and nothing on the host changes.
TEST_F(FilesTest, AReadOnlyGrantRefusesEveryChange)
{
    fs::create_directories(m_top / "shelf" / "sub");
    write_host_file(m_top / "shelf" / "book.txt", "read me");
    ASSERT_FALSE(m_handler->grant(k_program, { m_top / "shelf", "/shelf", Access::ReadOnly }).is_error());
    auto refused = [](const kernel::Answer& answer) {
        auto facts = error_facts(answer);
        return facts.posix_error == uint32_t(EROFS) && facts.code == uint32_t(error_code_for_errno(EROFS));
    };

    // Looking works.
    uint64_t book = open_handle("/shelf/book.txt");
    EXPECT_EQ(read(book), "read me");
    EXPECT_EQ(path_call(hashos_files_Files_METHOD_Stat, hashos_files_StatRequest_fields, "/shelf/sub").kind, kernel::AnswerKind::Ok);

    // Changing does not: opening to write or create, writing, truncating, touching, making,
    // removing, renaming and linking in or out, through a path or a directory handle.
    EXPECT_TRUE(refused(open("/shelf/book.txt", true)));
    EXPECT_TRUE(refused(open("/shelf/new.txt", true, true)));
    hashos_files_OpenRequest create_only = hashos_files_OpenRequest_init_zero;
    std::string new_path = "/shelf/other.txt";
    auto new_bytes = bytes_of(new_path);
    attach_bytes(create_only.path, new_bytes);
    create_only.read = true;
    create_only.create = true;
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_Open, hashos_files_OpenRequest_fields, &create_only)));
    hashos_files_WriteRequest write = hashos_files_WriteRequest_init_zero;
    write.handle = book;
    std::string text = "scribble";
    auto text_bytes = bytes_of(text);
    attach_bytes(write.data, text_bytes);
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_Write, hashos_files_WriteRequest_fields, &write)));
    hashos_files_TruncateRequest truncate = { book, 0 };
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_Truncate, hashos_files_TruncateRequest_fields, &truncate)));
    hashos_files_SetTimesRequest touch = hashos_files_SetTimesRequest_init_zero;
    touch.handle = book;
    touch.modified_now = true;
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_SetTimes, hashos_files_SetTimesRequest_fields, &touch)));
    hashos_files_SetTimesRequest touch_path = hashos_files_SetTimesRequest_init_zero;
    std::string book_path = "/shelf/book.txt";
    auto book_bytes = bytes_of(book_path);
    attach_bytes(touch_path.path, book_bytes);
    touch_path.modified_now = true;
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_SetTimes, hashos_files_SetTimesRequest_fields, &touch_path)));
    EXPECT_TRUE(refused(path_call(hashos_files_Files_METHOD_MakeDirectory, hashos_files_MakeDirectoryRequest_fields, "/shelf/new")));
    EXPECT_TRUE(refused(path_call(hashos_files_Files_METHOD_RemoveFile, hashos_files_RemoveRequest_fields, "/shelf/book.txt")));
    EXPECT_TRUE(refused(path_call(hashos_files_Files_METHOD_RemoveDirectory, hashos_files_RemoveRequest_fields, "/shelf/sub")));
    uint64_t shelf = open_handle("/shelf");
    EXPECT_TRUE(refused(open("sub/made.txt", true, true, shelf)));
    auto two_paths = [&](uint64_t method, const pb_msgdesc_t* fields, std::string from, std::string to) {
        hashos_files_RenameRequest request = hashos_files_RenameRequest_init_zero;
        auto from_bytes = bytes_of(from), to_bytes = bytes_of(to);
        attach_bytes(request.from_path, from_bytes);
        attach_bytes(request.to_path, to_bytes);
        return send(method, fields, &request);
    };
    EXPECT_TRUE(refused(two_paths(hashos_files_Files_METHOD_Rename, hashos_files_RenameRequest_fields, "/shelf/book.txt", "/shelf/moved.txt")));
    EXPECT_TRUE(refused(two_paths(hashos_files_Files_METHOD_Rename, hashos_files_RenameRequest_fields, "/shelf/book.txt", "/taken.txt")));
    EXPECT_TRUE(refused(two_paths(hashos_files_Files_METHOD_Rename, hashos_files_RenameRequest_fields, "/index.html", "/shelf/index.html")));
    EXPECT_TRUE(refused(two_paths(hashos_files_Files_METHOD_Link, hashos_files_LinkRequest_fields, "/index.html", "/shelf/index.html")));
    hashos_files_SymlinkRequest symlink = hashos_files_SymlinkRequest_init_zero;
    std::string target = "book.txt", where = "/shelf/alias";
    auto target_bytes = bytes_of(target), where_bytes = bytes_of(where);
    attach_bytes(symlink.target, target_bytes);
    attach_bytes(symlink.path, where_bytes);
    EXPECT_TRUE(refused(send(hashos_files_Files_METHOD_Symlink, hashos_files_SymlinkRequest_fields, &symlink)));

    EXPECT_EQ(read_host_file(m_top / "shelf" / "book.txt"), "read me");
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "new.txt"));
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "other.txt"));
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "new"));
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "sub" / "made.txt"));
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "index.html"));
    EXPECT_FALSE(fs::exists(m_top / "shelf" / "alias"));
    EXPECT_TRUE(fs::exists(m_top / "site" / "index.html"));
    EXPECT_TRUE(fs::is_directory(m_top / "shelf" / "sub"));

    // A hard link out of it into a writable root would make its file writable there.
    EXPECT_TRUE(refused(two_paths(hashos_files_Files_METHOD_Link, hashos_files_LinkRequest_fields, "/shelf/book.txt", "/copy.txt")));
    EXPECT_FALSE(fs::exists(m_top / "site" / "copy.txt"));
}

TEST_F(FilesTest, ReadsAFileAndItsMetadata)
{
    auto answer = open("/index.html");
    ASSERT_EQ(answer.kind, kernel::AnswerKind::Ok);
    hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
    ASSERT_FALSE(decode(answer.body, hashos_files_OpenResponse_fields, &response).is_error());
    EXPECT_EQ(response.stat.kind, hashos_files_Kind_KIND_FILE);
    EXPECT_EQ(response.stat.size, 14u);
    EXPECT_EQ(read(response.handle, 5), "<h1>h");
    EXPECT_EQ(read(response.handle), "ello</h1>");
    EXPECT_EQ(read(response.handle), ""); // the end

    // pread leaves the position alone.
    hashos_files_ReadRequest at = hashos_files_ReadRequest_init_zero;
    at.handle = response.handle;
    at.size = 2;
    at.has_offset = true;
    at.offset = 4;
    auto positioned = send(hashos_files_Files_METHOD_Read, hashos_files_ReadRequest_fields, &at);
    ASSERT_EQ(positioned.kind, kernel::AnswerKind::Ok);

    // A link that stays inside the root is followed.
    EXPECT_EQ(read(open_handle("home")), "<h1>hello</h1>");
}

// Whether this host kernel has openat2's RESOLVE_CACHED (Linux 5.12), which the fast path needs.
bool resolve_cached_supported()
{
    open_how how {};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_CACHED;
    long fd = ::syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
    if (fd >= 0)
        ::close(int(fd));
    return fd >= 0 || errno != EINVAL;
}

TEST_F(FilesTest, OpensAndReadsOfCachedFilesAreAnsweredWithoutThePool)
{
    // The sender's roots are looked up once, on the pool; the file's pages and path get cached.
    EXPECT_EQ(read(open_handle("/index.html")), "<h1>hello</h1>");

    // Both pool threads held: only what deliver() answers itself can be answered now.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> held = 0;
    for (int i = 0; i < 2; ++i)
        m_loop.post_blocking([released, &held] {
            ++held;
            released.wait();
        });
    while (held < 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto at_once = [&](uint64_t method, const pb_msgdesc_t* fields, const void* request) {
        auto catcher = std::make_shared<AnswerCatcher>();
        EXPECT_EQ(m_handler->deliver(message_to(catcher, encode_request(method, fields, request), k_sender)), kernel::Delivery::Accepted);
        return catcher;
    };
    hashos_files_OpenRequest open = hashos_files_OpenRequest_init_zero;
    std::string path = "/index.html";
    auto path_bytes = bytes_of(path);
    attach_bytes(open.path, path_bytes);
    open.read = true;
    auto opened = at_once(hashos_files_Files_METHOD_Open, hashos_files_OpenRequest_fields, &open)->get(std::chrono::milliseconds(0));
    bool fast = opened.has_value();
    if (!fast && !resolve_cached_supported()) {
        release.set_value();
        GTEST_SKIP() << "this host kernel has no RESOLVE_CACHED";
    }
    ASSERT_TRUE(fast);
    ASSERT_EQ(opened->kind, kernel::AnswerKind::Ok) << decode_error(opened->body).message;
    hashos_files_OpenResponse response = hashos_files_OpenResponse_init_zero;
    ASSERT_FALSE(decode(opened->body, hashos_files_OpenResponse_fields, &response).is_error());
    uint64_t handle = response.handle;

    // Reads from the position and at an offset, to the end; stat and seek of the handle.
    auto read_now = [&](uint32_t size, std::optional<uint64_t> offset = std::nullopt) {
        hashos_files_ReadRequest request = hashos_files_ReadRequest_init_zero;
        request.handle = handle;
        request.size = size;
        request.has_offset = offset.has_value();
        request.offset = offset.value_or(0);
        auto answer = at_once(hashos_files_Files_METHOD_Read, hashos_files_ReadRequest_fields, &request)->get(std::chrono::milliseconds(0));
        EXPECT_TRUE(answer.has_value());
        if (!answer)
            return std::string("(no answer yet)");
        StringField data(1 << 20);
        hashos_files_ReadResponse read = hashos_files_ReadResponse_init_zero;
        data.attach(read.data);
        EXPECT_FALSE(decode(answer->body, hashos_files_ReadResponse_fields, &read).is_error());
        return data.value();
    };
    EXPECT_EQ(read_now(4), "<h1>");
    EXPECT_EQ(read_now(3, 9), "</h");
    EXPECT_EQ(read_now(100), "hello</h1>"); // from the position, which the pread left alone
    EXPECT_EQ(read_now(100), "");
    hashos_files_StatHandleRequest stat = { handle };
    auto stat_answer = at_once(hashos_files_Files_METHOD_StatHandle, hashos_files_StatHandleRequest_fields, &stat)->get(std::chrono::milliseconds(0));
    ASSERT_TRUE(stat_answer.has_value());
    hashos_files_SeekRequest seek = hashos_files_SeekRequest_init_zero;
    seek.handle = handle;
    seek.offset = 1;
    EXPECT_TRUE(at_once(hashos_files_Files_METHOD_Seek, hashos_files_SeekRequest_fields, &seek)->get(std::chrono::milliseconds(0)).has_value());
    EXPECT_EQ(read_now(2), "h1");
    hashos_files_CloseRequest close = { handle };
    auto closed = at_once(hashos_files_Files_METHOD_Close, hashos_files_CloseRequest_fields, &close)->get(std::chrono::milliseconds(0));
    ASSERT_TRUE(closed.has_value());
    EXPECT_EQ(closed->kind, kernel::AnswerKind::Ok);

    // Creating a file may wait for the disk: it waits for the pool.
    hashos_files_OpenRequest create = hashos_files_OpenRequest_init_zero;
    std::string new_path = "/created.txt";
    auto new_bytes = bytes_of(new_path);
    attach_bytes(create.path, new_bytes);
    create.write = true;
    create.create = true;
    auto created = at_once(hashos_files_Files_METHOD_Open, hashos_files_OpenRequest_fields, &create);
    EXPECT_FALSE(created->get(std::chrono::milliseconds(20)).has_value());
    release.set_value();
    auto answer = created->get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->kind, kernel::AnswerKind::Ok);
    EXPECT_TRUE(fs::exists(m_top / "site" / "created.txt"));
}

TEST_F(FilesTest, WritesSeeksTruncatesAndSyncs)
{
    uint64_t handle = open_handle("/new.txt", true, true);
    ASSERT_NE(handle, 0u);
    std::string text = "hello, files";
    hashos_files_WriteRequest write = hashos_files_WriteRequest_init_zero;
    write.handle = handle;
    auto bytes = bytes_of(text);
    attach_bytes(write.data, bytes);
    auto written = send(hashos_files_Files_METHOD_Write, hashos_files_WriteRequest_fields, &write);
    ASSERT_EQ(written.kind, kernel::AnswerKind::Ok);

    hashos_files_SeekRequest seek = { handle, 7, hashos_files_Whence_WHENCE_START };
    auto sought = send(hashos_files_Files_METHOD_Seek, hashos_files_SeekRequest_fields, &seek);
    hashos_files_SeekResponse position = hashos_files_SeekResponse_init_zero;
    ASSERT_FALSE(decode(sought.body, hashos_files_SeekResponse_fields, &position).is_error());
    EXPECT_EQ(position.position, 7u);
    EXPECT_EQ(read(handle), "files");

    hashos_files_TruncateRequest truncate = { handle, 5 };
    EXPECT_EQ(send(hashos_files_Files_METHOD_Truncate, hashos_files_TruncateRequest_fields, &truncate).kind, kernel::AnswerKind::Ok);
    hashos_files_SyncRequest sync = { handle, false };
    EXPECT_EQ(send(hashos_files_Files_METHOD_Sync, hashos_files_SyncRequest_fields, &sync).kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(read_host_file(m_top / "site" / "new.txt"), "hello");

    hashos_files_CloseRequest close = { handle };
    EXPECT_EQ(send(hashos_files_Files_METHOD_Close, hashos_files_CloseRequest_fields, &close).kind, kernel::AnswerKind::Ok);
    auto again = send(hashos_files_Files_METHOD_Close, hashos_files_CloseRequest_fields, &close);
    EXPECT_EQ(error_facts(again).code, uint32_t(kernel::ErrorCode::NotFound));
    EXPECT_EQ(error_facts(again).posix_error, uint32_t(EBADF));
}

TEST_F(FilesTest, ListsMakesRenamesAndRemoves)
{
    EXPECT_EQ(path_call(hashos_files_Files_METHOD_MakeDirectory, hashos_files_MakeDirectoryRequest_fields, "/docs/new").kind,
        kernel::AnswerKind::Ok);
    EXPECT_TRUE(fs::is_directory(m_top / "site" / "docs" / "new"));
    auto exists = path_call(hashos_files_Files_METHOD_MakeDirectory, hashos_files_MakeDirectoryRequest_fields, "/docs/new");
    EXPECT_EQ(error_facts(exists).code, uint32_t(kernel::ErrorCode::AlreadyExists));

    // Listing in pages of two, continuing from each page's last cookie.
    std::set<std::string> names;
    uint64_t cookie = 0;
    for (int page = 0; page < 10; ++page) {
        hashos_files_ReadDirectoryRequest list = hashos_files_ReadDirectoryRequest_init_zero;
        list.cookie = cookie;
        list.max_entries = 2;
        auto answer = send(hashos_files_Files_METHOD_ReadDirectory, hashos_files_ReadDirectoryRequest_fields, &list);
        ASSERT_EQ(answer.kind, kernel::AnswerKind::Ok);
        hashos_files_ReadDirectoryResponse response = hashos_files_ReadDirectoryResponse_init_zero;
        struct Collected {
            std::set<std::string>* names;
            uint64_t* cookie;
        } collected { &names, &cookie };
        response.entries.arg = &collected;
        response.entries.funcs.decode = [](pb_istream_t* stream, const pb_field_t*, void** argument) {
            auto* into = static_cast<Collected*>(*argument);
            StringField name(255);
            hashos_files_DirectoryEntry entry = hashos_files_DirectoryEntry_init_zero;
            name.attach(entry.name);
            if (!pb_decode(stream, hashos_files_DirectoryEntry_fields, &entry))
                return false;
            into->names->insert(name.value());
            *into->cookie = entry.cookie;
            return true;
        };
        ASSERT_FALSE(decode(answer.body, hashos_files_ReadDirectoryResponse_fields, &response).is_error());
        if (response.end)
            break;
    }
    EXPECT_EQ(names, (std::set<std::string> { "absolute", "chained", "docs", "home", "index.html", "up" }));

    hashos_files_RenameRequest rename = hashos_files_RenameRequest_init_zero;
    std::string from = "/index.html", to = "docs/moved.html";
    auto from_bytes = bytes_of(from), to_bytes = bytes_of(to);
    attach_bytes(rename.from_path, from_bytes);
    attach_bytes(rename.to_path, to_bytes);
    EXPECT_EQ(send(hashos_files_Files_METHOD_Rename, hashos_files_RenameRequest_fields, &rename).kind, kernel::AnswerKind::Ok);
    EXPECT_EQ(read_host_file(m_top / "site" / "docs" / "moved.html"), "<h1>hello</h1>");

    EXPECT_EQ(path_call(hashos_files_Files_METHOD_RemoveFile, hashos_files_RemoveRequest_fields, "docs/moved.html").kind,
        kernel::AnswerKind::Ok);
    auto not_empty = path_call(hashos_files_Files_METHOD_RemoveDirectory, hashos_files_RemoveRequest_fields, "docs");
    EXPECT_EQ(error_facts(not_empty).posix_error, uint32_t(ENOTEMPTY));
    EXPECT_EQ(path_call(hashos_files_Files_METHOD_RemoveDirectory, hashos_files_RemoveRequest_fields, "docs/new").kind,
        kernel::AnswerKind::Ok);
    EXPECT_FALSE(fs::exists(m_top / "site" / "docs" / "new"));

    // Symbolic links: made, read back, and described without following.
    hashos_files_SymlinkRequest symlink = hashos_files_SymlinkRequest_init_zero;
    std::string target = "../../secret/key", where = "docs/sneaky";
    auto target_bytes = bytes_of(target), where_bytes = bytes_of(where);
    attach_bytes(symlink.target, target_bytes);
    attach_bytes(symlink.path, where_bytes);
    EXPECT_EQ(send(hashos_files_Files_METHOD_Symlink, hashos_files_SymlinkRequest_fields, &symlink).kind, kernel::AnswerKind::Ok);
    auto link = path_call(hashos_files_Files_METHOD_ReadLink, hashos_files_ReadLinkRequest_fields, "docs/sneaky");
    ASSERT_EQ(link.kind, kernel::AnswerKind::Ok);
    hashos_files_StatRequest lstat = hashos_files_StatRequest_init_zero;
    attach_bytes(lstat.path, where_bytes);
    lstat.no_follow = true;
    auto described = send(hashos_files_Files_METHOD_Stat, hashos_files_StatRequest_fields, &lstat);
    hashos_files_StatResponse stat = hashos_files_StatResponse_init_zero;
    ASSERT_FALSE(decode(described.body, hashos_files_StatResponse_fields, &stat).is_error());
    EXPECT_EQ(stat.stat.kind, hashos_files_Kind_KIND_SYMBOLIC_LINK);
    // …but following it is refused.
    EXPECT_EQ(error_facts(open("docs/sneaky")).posix_error, uint32_t(EXDEV));
}

TEST_F(FilesTest, NothingEscapesTheRoot)
{
    for (std::string path : { "../secret/key", "/../secret/key", "docs/../../secret/key", "up/key", "absolute", "chained",
             "up" }) {
        auto answer = open(path);
        ASSERT_EQ(answer.kind, kernel::AnswerKind::Error) << path;
        auto facts = error_facts(answer);
        EXPECT_EQ(facts.code, uint32_t(kernel::ErrorCode::PermissionDenied)) << path;
        EXPECT_EQ(facts.posix_error, uint32_t(EXDEV)) << path;
    }
    // Creating through a link that points out is refused too, and nothing appears outside.
    EXPECT_EQ(error_facts(open("up/planted", true, true)).posix_error, uint32_t(EXDEV));
    EXPECT_FALSE(fs::exists(m_top / "secret" / "planted"));
    EXPECT_EQ(error_facts(path_call(hashos_files_Files_METHOD_RemoveFile, hashos_files_RemoveRequest_fields, "up/key")).posix_error,
        uint32_t(EXDEV));
    EXPECT_TRUE(fs::exists(m_top / "secret" / "key"));

    // A directory handle confines what is relative to it, even inside the root.
    uint64_t docs = open_handle("docs");
    EXPECT_EQ(error_facts(open("../index.html", false, false, docs)).posix_error, uint32_t(EXDEV));
    EXPECT_EQ(error_facts(open("/index.html", false, false, docs)).posix_error, uint32_t(EXDEV));
    EXPECT_EQ(open("", false, false, docs).kind, kernel::AnswerKind::Ok);

    // A program granted nothing sees nothing.
    auto stranger = open("/index.html", false, false, 0, k_stranger);
    EXPECT_EQ(error_facts(stranger).posix_error, uint32_t(ENOENT));
}

TEST_F(FilesTest, AnExitedSenderLosesItsHandles)
{
    uint64_t handle = open_handle("/index.html");
    m_handler->sender_exited(k_sender);
    hashos_files_ReadRequest request = { handle, 10, false, 0 };
    auto answer = send(hashos_files_Files_METHOD_Read, hashos_files_ReadRequest_fields, &request);
    EXPECT_EQ(error_facts(answer).posix_error, uint32_t(EBADF));
}

TEST_F(FilesTest, RootsAreListedAndTheLongestGuestPathWins)
{
    fs::create_directories(m_top / "data");
    write_host_file(m_top / "data" / "index.html", "data");
    ASSERT_FALSE(m_handler->grant(k_program, { m_top / "data", "/docs" }).is_error());
    EXPECT_TRUE(m_handler->grant(k_program, { m_top / "data", "/docs" }).is_error());
    EXPECT_EQ(read(open_handle("/docs/index.html")), "data");
    hashos_files_RootsRequest roots = hashos_files_RootsRequest_init_zero;
    auto answer = send(hashos_files_Files_METHOD_Roots, hashos_files_RootsRequest_fields, &roots);
    ASSERT_EQ(answer.kind, kernel::AnswerKind::Ok);
    EXPECT_NE(std::string(answer.body.begin(), answer.body.end()).find("/docs"), std::string::npos);
}

TEST_F(FilesTest, UnknownMethodsAndBadBodies)
{
    EXPECT_EQ(error_code(*call(*m_handler, { 99 })), uint32_t(kernel::ErrorCode::Unimplemented));
    EXPECT_EQ(error_code(*call(*m_handler, { hashos_files_Files_METHOD_Open, 0xff })), uint32_t(kernel::ErrorCode::InvalidArgument));
}

} // namespace hashos::handlers
