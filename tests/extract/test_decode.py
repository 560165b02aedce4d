"""Decoding Chinese pages: declared, mis-declared and undeclared charsets."""

import codecs

from kuaizhao.extract.decode import decode

TEXT = "新华社北京1月17日电 湖南省政协委员宋峥嵘、李喆和王堃分享了调研成果。" * 8


def test_gb2312_label_is_widened_to_gb18030_for_gbk_only_characters():
    body = f'<html><head><meta charset="gb2312"></head><body><p>{TEXT}</p></body></html>'.encode("gbk")
    decoded = decode(body, "text/html")
    assert decoded.charset == "gb18030" and decoded.reason == "declared in meta"
    assert "李喆和王堃" in decoded.text and "\ufffd" not in decoded.text


def test_header_charset_wins_over_meta():
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("gbk")
    decoded = decode(body, "text/html; charset=GBK")
    assert decoded.charset == "gb18030" and decoded.reason == "declared in http header"
    assert TEXT in decoded.text


def test_declared_gb2312_but_sent_utf8():
    body = f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>{TEXT}</p>'.encode()
    decoded = decode(body)
    assert decoded.charset == "utf-8" and "but the bytes are UTF-8" in decoded.reason
    assert TEXT in decoded.text


def test_undeclared_gbk_is_detected_over_the_whole_document():
    # a long ASCII prefix: a detector reading only the start would see nothing Chinese
    body = ("<html><head>" + "<script>var x = 1;</script>" * 200 + "</head><body><p>" + TEXT + "</p>").encode("gbk")
    decoded = decode(body)
    assert decoded.charset == "gb18030" and "detected" in decoded.reason
    assert TEXT in decoded.text


def test_bom_and_override():
    assert decode(codecs.BOM_UTF8 + TEXT.encode()).reason == "byte order mark"
    assert decode(TEXT.encode("big5", "replace"), override="big5").reason == "source override"


def test_mojibake_audit_re_decodes_a_wrong_declaration():
    # declared UTF-8 in the header, GBK bytes: strict UTF-8 fails, replacement characters pile up
    body = f"<p>{TEXT}</p>".encode("gbk")
    decoded = decode(body, "text/html; charset=utf-8")
    assert decoded.charset == "gb18030" and TEXT in decoded.text
    assert "mojibake audit" in decoded.reason or "not UTF-8" in decoded.reason


def test_mojibake_audit_flags_text_mangled_before_capture():
    body = ("<p>" + TEXT + "锟斤拷锟斤拷" + "</p>").encode("utf-8")
    assert "锟斤拷" in decode(body, "text/html; charset=utf-8").reason


def test_plausibility_tells_text_from_mojibake():
    from kuaizhao.extract.decode import plausibility

    assert plausibility(TEXT) > 0.8  # names with rarer characters (峥嵘, 喆, 堃) keep it below 1
    assert plausibility(TEXT.encode("utf-8").decode("gbk", "replace")) < 0.5
    assert plausibility("中華民國教育部今日宣布新的課程綱要，學生與家長對此反應熱烈。" * 4) > 0.9
