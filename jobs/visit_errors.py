"""Errors of supervision, ratings and bookings (``common.DomainError``; statuses in ``api``)."""

from __future__ import annotations

from jobs.errors import JobError


class ClockAlreadyPausedError(JobError):
    code = "clock_paused"
    message = "该办件的办理时限已在暂停中"


class ClockNotPausedError(JobError):
    code = "clock_not_paused"
    message = "该办件的办理时限没有暂停，无需恢复"


class NotRatableError(JobError):
    code = "not_ratable"
    message = "办件办结后才能评价"


class AlreadyRatedError(JobError):
    code = "already_rated"
    message = "该办件已经评价过，不能重复评价"


class InvalidRatingError(JobError):
    code = "invalid_rating"
    message = "评价等级无效，请选择非常满意、满意、基本满意、不满意或非常不满意"


class FollowUpClosedError(JobError):
    code = "follow_up_closed"
    message = "该差评整改已经答复办结"


class AnswerRequiredError(JobError):
    code = "answer_required"
    message = "请填写书面答复内容"


class SlotUnavailableError(JobError):
    code = "slot_unavailable"
    message = "该时段不可预约（已约满、非办公时间或节假日），请另选时段"


class BookingNotAllowedError(JobError):
    code = "booking_not_allowed"
    message = "该办件无需或暂不能预约窗口"


class BookingExistsError(JobError):
    code = "booking_exists"
    message = "该办件已有预约，请改约或取消后再预约"


class BookingCodeError(JobError):
    code = "booking_code_invalid"
    message = "预约码无效、已使用或不是本窗口的预约"


class NoFollowUpError(JobError):
    code = "no_follow_up"
    message = "该办件没有待整改的差评"


class NoBookingError(JobError):
    code = "no_booking"
    message = "该办件没有有效的预约"


class WindowNotFoundError(JobError):
    code = "window_not_found"
    message = "未找到该办事窗口"


class InvalidWindowError(JobError):
    code = "invalid_window"
    message = "窗口设置无效：请检查开放时间、时段长度和每时段人数"
