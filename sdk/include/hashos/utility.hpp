// The few pieces of <utility> and <type_traits> the C++ layer needs, since wasm32 programs have
// no C++ standard library.
#pragma once

namespace hashos {

template <class T> struct RemoveReference { using Type = T; };
template <class T> struct RemoveReference<T&> { using Type = T; };
template <class T> struct RemoveReference<T&&> { using Type = T; };

template <class T>
constexpr typename RemoveReference<T>::Type&& move(T&& value) noexcept
{
    return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template <class T>
constexpr T&& forward(typename RemoveReference<T>::Type& value) noexcept
{
    return static_cast<T&&>(value);
}

template <class A, class B> inline constexpr bool is_same = false;
template <class A> inline constexpr bool is_same<A, A> = true;
template <class T> inline constexpr bool is_void = is_same<T, void>;

} // namespace hashos
