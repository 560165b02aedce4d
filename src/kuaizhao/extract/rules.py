"""Per-site and per-language data used by extraction. Data only: no logic lives here."""

from __future__ import annotations

from dataclasses import dataclass

# URL path segments that name a section, as Chinese portals use them (/gn/ is 国内 in pinyin
# initials, /china/ in English). Checked segment by segment, first match wins.
CATEGORY_URL_SEGMENTS: dict[str, str] = {
    **dict.fromkeys(("gn", "china", "domestic", "guonei", "politics", "society", "sh", "local", "gov"), "国内"),
    **dict.fromkeys(("gj", "world", "international", "guoji", "intl", "global", "gjxw"), "国际"),
    **dict.fromkeys(("cj", "finance", "money", "caijing", "business", "economy", "stock", "fortune"), "财经"),
    **dict.fromkeys(("kj", "tech", "technology", "keji", "it", "science", "digi", "sci"), "科技"),
    **dict.fromkeys(("ty", "sports", "sport", "tiyu"), "体育"),
    **dict.fromkeys(("yl", "ent", "entertainment", "yule", "movie", "music", "star"), "娱乐"),
}

# Words in breadcrumbs and section meta tags that name the same categories.
CATEGORY_WORDS: dict[str, str] = {
    "国内": "国内", "时政": "国内", "社会": "国内", "中国": "国内", "要闻": "国内", "地方": "国内",
    "国际": "国际", "世界": "国际", "环球": "国际", "海外": "国际",
    "财经": "财经", "经济": "财经", "金融": "财经", "股票": "财经", "证券": "财经", "商业": "财经",
    "科技": "科技", "互联网": "科技", "数码": "科技", "科学": "科技",
    "体育": "体育", "足球": "体育", "篮球": "体育", "运动": "体育",
    "娱乐": "娱乐", "明星": "娱乐", "电影": "娱乐", "影视": "娱乐", "音乐": "娱乐",
}

# Title separators before a site name: "标题_网易新闻", "标题 - 人民网", "标题|澎湃新闻".
TITLE_SEPARATORS = ("_", "|", "｜", " - ", "－", "——", " — ", "-")

# Class/id words of containers that hold the article, and of those that never do.
POSITIVE_NAMES = ("article", "content", "main", "text", "body", "detail", "post", "story", "zhengwen", "news_txt")
NEGATIVE_NAMES = (
    "comment", "footer", "foot", "sidebar", "side", "related", "recommend", "share", "nav", "menu",
    "banner", "ad", "advert", "hot", "rank", "breadcrumb", "crumb", "copyright", "login", "toolbar",
    "tags", "pager", "pagination", "qrcode", "popup", "modal", "header", "top", "player",
)

# Lines Chinese portals put inside the article container that are not article text.
BOILERPLATE_LINES = (
    r"^[【\[(（]?\s*(?:责任编辑|责编|编辑|校对|审核|监制|统筹)\s*[:：]",
    r"分享到|分享至|一键分享|扫一扫|扫描二维码|长按识别|关注(?:我们|公众号)",
    # a share bar of platform names only: 分享：Facebook WhatsApp
    (r"^(?:分享|share)\s*[:：]?\s*(?:(?:微信|朋友圈|微博|QQ空间|QQ|Facebook|Twitter|LINE|WhatsApp|Telegram|WeChat"
     r"|Weibo|复制链接|複製連結)[\s|｜/、·]*)+$"),
    r"^(?:相关阅读|相关新闻|相关链接|延伸阅读|推荐阅读|热门推荐|猜你喜欢)",
    r"^(?:免责声明|声明)\s*[:：]",
    r"(?:版权所有|Copyright|©|\(c\)).{0,40}(?:\d{4}|保留|All Rights)",
    r"(?:下载|打开).{0,8}(?:客户端|APP|App)",
    r"^(?:返回首页|打印本页|关闭窗口|打印|收藏|点赞|举报|上一篇|下一篇)",
    r"^(?:本文来源|文章来源)\s*[:：].{0,30}$",
    r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|<<\s*上一页|下一页\s*>>|^\s*上一页\s*\d*|^\s*\d+\s*下一页",
    r"^(?:展开全文|阅读全文|查看全文|点击查看|显示全文|收起全文)\s*$",
    r"^(?:发表评论|我要评论|我来说两句|参与评论|网友评论|查看评论)\s*",
    r"^(?:Trackback|TrackBack|本文通告引用|引用通告)",
    r"^(?:特别声明|声明)\s*[:：]",
    r"^(?:文章)?(?:标签|标籤|標籤|关键词|关键字|關鍵詞|關鍵字|Tags?)\s*[:：]",
    # the print edition a web copy ran in: 《人民日报》（2023年05月12日 11版）
    r"^《\s*[^》]{2,12}\s*》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:第?\s*\d{1,2}\s*版)?\s*[)）]\s*$",
    r"^(?:广告|推广|赞助)$",
    r"^(?:返回搜狐|返回首页|查看更多|更多精彩)",
    # reprint bans and first-publication notes, simplified and traditional
    r"(?:未经|未經|非经|非經).{0,8}(?:授权|授權|许可|許可|同意).{0,12}(?:不得|请勿|請勿|禁止|严禁|嚴禁)\s*(?:转载|轉載)",
    r"^本文(?:为|系|為|係).{0,16}(?:原创|原創|独家|獨家).{0,6}[，,]\s*(?:转载|轉載)请",
    r"^[（(]?\s*(?:本文)?(?:首发于|首發於|原载于|原載於|首发在|首發在)",
    # a page speaking to the reader: join, subscribe, log in
    r"(?:建议您|建議您|请您|請您|欢迎您|歡迎您).{0,12}(?:加入|成为|成為|开通|開通|订阅|訂閱|登录|登入)",
    # hotline notices appended to articles ("生命線：1995", "自殺諮詢專線：0800-788995（24小時）")
    r"^[\w\u4e00-\u9fff]{0,12}(?:专线|專線|热线|熱線|生命线|生命線)\s*[:：]?\s*[\d\-]{3,}\S{0,12}$",
    r"再给自己一次机会|再給自己一次機會|珍惜生命.{0,6}(?:热线|熱線|专线|專線)",
)

# Headings after which a page stops being the article: related lists, recommendations, comments.
TAIL_MARKERS = (
    r"相关报道", r"相关新闻", r"相关阅读", r"相关内容", r"相关文章", r"相关链接", r"延伸阅读", r"推荐阅读",
    r"为你推荐", r"为您推荐", r"猜你喜欢", r"热门推荐", r"热点推荐", r"精彩推荐", r"今日推荐", r"更多精彩",
    r"文章评论", r"网友评论", r"热门评论", r"最新评论", r"评论列表", r"延伸\s*[·•]\s*推荐", r"大家都在看",
    r"热门文章", r"热门新闻", r"推荐文章", r"往期回顾", r"今日焦点", r"往期推荐", r"往期精选", r"更多阅读",
)

# Phrases of pages that are not (or no longer) articles: soft 404s and removed content.
SOFT_404 = (
    "页面不存在", "页面没有找到", "页面未找到", "找不到页面", "该内容已被删除", "内容已删除", "文章不存在",
    "内容不存在", "该页面已删除", "已被删除", "您访问的页面不存在", "404 Not Found", "Page Not Found",
    "内容已下线", "文章已下线", "该文章已下线", "已被作者删除", "该内容已下架", "文章已撤稿", "稿件已撤回",
)


# Pages that hide the article behind a login or a paywall: what is shown is not the article.
LOGIN_WALL = ("登录后查看", "登录后阅读", "登录查看全文", "请先登录", "登录后才能", "会员专享", "付费阅读",
              "订阅后阅读", "购买后阅读", "扫码登录后", "开通会员")


@dataclass(frozen=True)
class SiteRules:
    """Selectors a source may set in sources.toml when the general method misreads its pages."""

    body: str | None = None  # CSS selector of the article container
    title: str | None = None  # CSS selector of the headline
    time: str | None = None  # CSS selector of the element stating the publish time
    category: str | None = None  # category of every article of the source
    encoding: str | None = None  # charset override, for sites that declare the wrong one

# Chinese surnames, for telling a byline name (张三, 欧阳娜娜) from an ordinary word. The common
# single-character surnames by frequency, then the compound ones still in use.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴"
    "盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由萧"
    # the same surnames in Traditional characters (OpenCC s2t of the above), for Taiwan and Hong Kong bylines
    "來儲劉勞區厲叢吳呂喬單嚴國堯塗婁孫宮寧嶽帥師幹張強應戰時晉楊榮樂樓樸權欒歐況湯溫滿畢盤盧竇範簡紀練繆羅聞"
    "聶荊莊華萬葉蓋蔣蕭藍藺蘆蘇蘭衛計許談諶諸謝譚豐費賀賈賓趙車農連遊遲邊鄒鄔鄧鄭鄺銀錢鍾門閆閉閔閻闕關闞陰陳"
    "陸陽雲鞏韋韓項顏顧餘饒馬馮駱鬱魯鮑鮮麥黃黨齊龍龐龔"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
    "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "钟离", "闻人", "澹台", "赫连", "申屠",
    "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "獨孤", "南宮", "西門", "鍾離", "聞人",
    "澹臺", "赫連",
)
# Words that stand right after a name in a byline: "记者 张三 报道", "张三 摄", "记者张三发自北京".
NAME_FOLLOWERS = ("报道", "摄影", "摄", "本报", "本台", "记者", "通讯员", "实习生", "特约", "发自", "电", "文", "整理",
                  "编译", "供稿", "制图", "绘图", "综合",
                  "報導", "報道", "攝影", "攝", "本報", "記者", "通訊員", "實習生", "發自", "電", "編譯", "綜合")
# Two-character words that begin with a surname character but are never names in a byline.
NOT_NAMES = frozenset({
    "本报", "记者", "编辑", "通讯", "实习", "新华", "中新", "人民", "中国", "全国", "国际", "综合", "报道", "时间",
    "来源", "作者", "文章", "原创", "日报", "晚报", "早报", "快报", "商报", "网讯", "客户", "视频", "图片", "摄影",
    "供图", "责任", "发布", "更新", "阅读", "评论", "分享", "打印", "关闭", "收藏", "举报", "首页", "正文", "返回",
    "上一", "下一", "相关", "推荐", "热门", "关注", "点击", "字号", "大中", "纠错", "转发", "点赞", "放大", "缩小",
    "金融", "市场", "公司", "于是", "由于", "和平", "明天", "明年", "和谐", "都市", "那些", "当时", "平台", "国家",
})
# The hundred or so most frequent surnames (about 85% of people). A bare, unlabelled word in an
# info line is read as a name only with one of these: rarer surnames (国, 文, 时, 海, 安, 房 …) begin
# far more ordinary words (国内, 文化, 时政, 海外, 安徽, 房产) than names that stand on a page unlabelled.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢"
    "姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
    "劉吳呂嚴孫張於楊湯盧範羅萬葉蔣蘇許謝譚賀賈趙鄒鄧鄭錢鍾閆陳陸韋韓顧餘馬馮黃龍龔"  # Traditional forms
)
# Section and channel labels of Chinese news sites (栏目 / 频道 / 类别), printed beside the time and
# 来源 ("国内 3分钟前 来源：…"), in breadcrumbs and menus. Never a person's name, though many begin
# with a surname character (国内, 时政, 文化, 房产, 江苏). Regional channels are named by province.
SECTION_WORDS = frozenset({
    *CATEGORY_WORDS,
    "国内", "国际", "时政", "时事", "时评", "要闻", "头条", "本地", "本网", "原创", "独家", "快讯", "滚动", "热点",
    "社会", "民生", "法治", "司法", "政法", "军事", "国防", "外交", "两岸", "港澳", "台湾", "华人", "侨界",
    "财经", "产经", "宏观", "房产", "房地产", "楼市", "家居", "汽车", "能源", "农业", "三农", "国企", "公益",
    "科技", "数码", "手机", "游戏", "动漫", "教育", "高考", "高校", "留学", "健康", "医疗", "养生", "文化",
    "文娱", "文旅", "文体", "文史", "读书", "艺术", "旅游", "时尚", "美食", "生活", "女性", "亲子", "情感",
    "体育", "娱乐", "评论", "观点", "专题", "图片", "视频", "直播", "访谈", "人物", "城市", "地方", "海外",
    "环保", "安全", "应急", "交通", "天气", "政务", "党建", "廉政", "人事", "人才", "就业",
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "广西",
    "西藏", "宁夏", "新疆", "内蒙古", "黑龙江", "香港", "澳门",
})
