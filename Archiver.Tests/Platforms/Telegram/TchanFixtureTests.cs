using Archiver.Model;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>
/// The tchan fragments (PythonicCafe/tchan, test_tchan.py): the same ids, dates, views, types and media URLs as
/// tchan's asserts. Deliberate differences, each kept out of the comparison below for a stated reason:
/// emoji images are part of the text here, not media; hashtag search links go to Hashtags (records.md excludes
/// the platform's own hashtag links from Links); the type names follow records.md's media kinds
/// (tchan "audio" = a voice note = "voice"; tchan "document" with an audio icon = "audio"; "round-video" = "round_video").
/// </summary>
public sealed class TchanFixtureTests
{
    public sealed record Expected(string File, long Id, string Channel, DateTime CreatedAt, string TchanType, long? Views, string? Author,
        bool Edited, (string Kind, string Url)[] Urls, long? ReplyToId, string? ForwardedAuthor, string? ForwardedUrl)
    {
        public override string ToString() => File;
    }

    public static readonly TheoryData<Expected> Cases =
    [
        new Expected("parse_service_message_channel_created", 1, "tchantest", new DateTime(2023, 2, 24, 7, 26, 49, DateTimeKind.Utc), "service", null, null, false, [], null, null, null),
        new Expected("parse_service_message_pinned", 92, "tchantest", new DateTime(2023, 2, 24, 12, 20, 19, DateTimeKind.Utc), "service", null, null, false, [], null, null, null),
        new Expected("parse_multimedia_message", 84, "tchantest", new DateTime(2023, 2, 24, 11, 1, 46, DateTimeKind.Utc), "multimedia", 436600L, null, false, [("photo", "https://cdn1.telegram-cdn.org/file/CrsaR3dLCwSaTunI7l4nSUu5G7du7049yHXuZwbiOjAfSDEMrJaKiJ9-ly6RJOJf7wSYPGjpUppSBuqLkTbMIl_CMEpS_9nVLvNusCJTRXbhJbU4UFsTxiM89YyDE_9bapVEjoS9vhRS7qw1zSCbV2K42W3TZvvQ8scfiI2xiMIsRkw-YzpIVxbkzpeWz3-US6fi7DswlIobEgCG0uxmHdr6q2FEFOn9BCpfQHlrDqq8rCA9kBteMinAEkALObzktjJ76PMFWQZbQCcKIofW9oOThEJRAdFrRaho9PwBOQIcrSf_2MQmyqg8zA79k04ME76FsNNw3xr7xA160MHckA.jpg"), ("photo", "https://cdn1.telegram-cdn.org/file/QMvda1Z9IET0DA4-jsfevuguTxnTpn6omRRA7gfRfYs6VCmxjsZdeX4R6k4n7rYe7skLclk-A1G7Dw4UuYzV5Ogj9KkYlLSsJD2x_WQDRqmUDauUWEAGa-JNACCFBH2zRJeFwb6OvAD6itpb05MbvyMVvsR18sw8Qe4VcPvODZmfKGxQ7ioslSsxTKoLz8KEAIcvPqVLkJKjkPVERS6u8QBSS-ZPOWu6RvJsS0_fS7oCTSfLjTmn3EfGlU3BvRAmNcVCQv7Jz-CPNBgXHUk5Bru05WNpsdaoCVfX9PzeDycLIoHm5S55H_TV9zocKvg_ZX0NVyLE_Em_wO7nbDwDRQ.jpg"), ("video", "https://cdn1.telegram-cdn.org/file/bd7ceb0b41.mp4?token=FqRn4LGTlVsYQNCiPqd19TF0Z-EK6gWw__1F7os3qthEAdi8kkkrrWeUqJYCrNsv7OF80hlKUHUfKi_9PMsFbg28A8zONLdULTjmt256uaIBQqc3ieY_Js1kg8ezAIi5Y2tab_Z9dycZBrPQjARRoTVwLd9v_QrIQ7il3W1iXipnClgLZK4PxFjFOIhdYmEM_gAhxylo30BdpQFekkk5xCwNNTKmFjeaZTUQ_NNM1k3NGuKQo3SmrHUj4hK1xoKayOZxvB0oJIffTpMkHEBjs_j-tyi72uKmRz7my8ogBY0pHO-2Em5lDh-Li0rDGfHJ_NUssmwGqoToH-el_FZfZWA7juyZs_QNSkWABs0ijiVXDKZPKZKiOVQ0Uh8RtNs4UrNKp91GAVLLCb-C9TpW9SRlgMECG4yKWnXZ7nIsh_nhRNMk-aL0_Lehl0D4bRi1xMkXqtCu5B9pMS7MhIoNbg1sK7_4SJi3YRLugH_jiOGx3HhOP9HtBQZZTBZffb_d3vQQHNfXWEYUwP3t8iBwDrFL0qPwlT_1xMM57S6JlS3ApAEqqYFRxD6YBBFcJr3HMb2rinmL77iwCPtOirSeXFNaG0daSIaUn2jOMoDVH-MwVMBr6Oz_ESOWlqiGtHngUxKxgsbC9UxgvzcXXzHNelvl0z8isMf6oz0QqAntnWA"), ("video", "https://cdn1.telegram-cdn.org/file/e996ca12fa.mp4?token=KO0u7GXRUAGbO8QgNdwm-ZedWF5dNzcqm4VeQk_2XikjDahyMnyWKup0S9kyPO4piQqxDlK0yDsFa-myEr1LQPNnJdd1KqYUTiUGWgwI9d-9cA9d-J1U8mtiWDDiaLctgP73nFHrVNbpBopQELyGobP5ha5ofRzEC494a6QHkcKAakFRWlkMu2u2n_HAQZQhurOVvmJBW0pA_yMIv_lrVsHfmvjw-jGwd_dnou5l-158l_0i21I8jzjBMJ4bam9ayHgn3iEjw0uDcmmb-I9-i7Nz1vPQjRJs34_Qjyp6vDrawOGsOY0sAWT7r4lSpefK1Rdc0XQPwQgMY_izO_QfWw"), ("thumbnail-video", "https://cdn1.telegram-cdn.org/file/nWyXAzTHX19MAA8oKaS4tcW-afBU7oOvCpQfVX-Z8l5dVuBeBUDZ5wVn0LRN5OIkwxbDAoSVuJiVm8BPt__9PML4K9rBmVcinjrLUtbNcqhx1WF-JpR_jd5FGQXQStSPYwgYyf460aoQsrVu48r-h4UGyuRLcnNoXytG-siQ_kOxpMArdeZXIQRzNW9eWHfO-IaIx78jqLdhcUaueZjkix91Ak35tPDdloQ7vhzDGqtpJQ1bI6YWVVP0gAm7AQdqcmkoNfFwXjh4uvxEAvsJxdSfMNJ3A1uKhqkm-_fVcbUBgBcJoPIjBBpJx5A3yorSMoMFCvne1QIvFdfjNbGZbg"), ("thumbnail-video", "https://cdn1.telegram-cdn.org/file/jFd1zyUf89Ze7MO2jtuFOuJXVJrYf9-QNmuE_f0x07Nwkx6KgVXhq71eAMiuTYhg1T9lmLA74NfOWgLwLaNk5H4OZYUtQBGrRrGeFaOcnRDcv9jOb23ZAjj6BHMDJ3bfFh_lmsAKQzQIuhJesbi3kBeioa4BeVYW4qjRYUmoKuRYpH6kr2eAalOQ_IYV8p0RxqGbhrJO3vKSYhwodxb3lYI-RKLDUrhSGQUy43hKEt1Epb0rwnpXnXsHcTrbo96O-bqfZ20A_wPqgzMyA13Xa7guojvXlRD2bpd-ezUYdwh9yBb636oqfkvTkaEI8rH4azIJxSB5eVlug5cN2wk97g")], null, null, null),
        new Expected("parse_service_message_channel_video_changed", 82, "tchantest", new DateTime(2023, 2, 24, 10, 15, 33, DateTimeKind.Utc), "text", 3100000L, null, false, [], null, null, null),
        new Expected("parse_service_message_channel_name_changed", 2, "tchantest", new DateTime(2023, 2, 24, 7, 28, 1, DateTimeKind.Utc), "service", null, null, false, [], null, null, null),
        new Expected("parse_service_message_channel_photo_updated", 3, "tchantest", new DateTime(2023, 2, 24, 7, 29, 23, DateTimeKind.Utc), "service", null, null, false, [("photo", "https://cdn1.telegram-cdn.org/file/DL-kcK51w4o7tyr5QWQWK7YexgMdwiKIVYbDNbzB2qUtyk9uYfrKo0t19LY08bW4WTdmGpI9t0YQ2aU3RpsaWVk_4Q9QfjBIjaM894tj1r96LzJ8PGXOLkHd3w_KDciIw-AFmZBAKs5UIK6WU6PW1Nx1uh9e084u9rKJQtVu7EZLx1YCgxtx5R69qSKCamUbie0yqbaocYeevtymiMw6C_BeYwLZux6iMhoejvs6jyaQXiQLtm53xvAcqPKefzM0frCmDU1t5sllrHJD7L2iv52m9j27Kcyi-cu6detpDOwxdC2Be9CvsN4UXDOwvxiEl3TQSkrFKb06csVd85lEaQ.jpg")], null, null, null),
        new Expected("parse_text_message_multiline", 62, "tchantest", new DateTime(2023, 2, 24, 8, 1, 26, DateTimeKind.Utc), "text", 2L, null, false, [], null, null, null),
        new Expected("parse_forwarded_text_message", 89, "tchantest", new DateTime(2023, 2, 24, 12, 13, 31, DateTimeKind.Utc), "text", 2L, null, false, [], null, "Some user", "https://t.me/some_user"),
        new Expected("parse_text_message_signed_not_edited", 79, "tchantest", new DateTime(2023, 2, 24, 8, 7, 51, DateTimeKind.Utc), "text", 2L, "Álvaro Justen", false, [], null, null, null),
        new Expected("parse_text_message_link_no_preview", 24, "tchantest", new DateTime(2023, 2, 24, 7, 48, 2, DateTimeKind.Utc), "text", 2L, null, true, [("link", "https://brasil.io/")], null, null, null),
        new Expected("parse_text_message_link_with_regular_preview", 94, "tchantest", new DateTime(2023, 2, 24, 13, 47, 38, DateTimeKind.Utc), "text", 1L, null, false, [("link", "https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio")], null, null, null),
        new Expected("parse_text_message_link_with_right_preview", 81, "tchantest", new DateTime(2023, 2, 24, 8, 16, 18, DateTimeKind.Utc), "text", 2L, null, false, [("link", "https://python.org/")], null, null, null),
        new Expected("parse_unsigned_text_message", 6, "tchantest", new DateTime(2023, 2, 24, 7, 30, 39, DateTimeKind.Utc), "text", 2L, null, false, [], null, null, null),
        new Expected("parse_emoji_message", 7, "tchantest", new DateTime(2023, 2, 24, 7, 30, 53, DateTimeKind.Utc), "text", 2L, null, false, [("photo", "https://telegram.org/img/emoji/40/F09F918D.png")], null, null, null),
        new Expected("parse_sticker_message", 9, "tchantest", new DateTime(2023, 2, 24, 7, 31, 6, DateTimeKind.Utc), "sticker", 2L, null, false, [("photo", "https://cdn1.telegram-cdn.org/file/5b5c6e1325.webp?token=chQuhI8SVanorZnNJ_PTvHtJR1UOPC_cIjPNCVXhhG40BqJ9cpBCgrQy0NazQTCWO7bG_6JyNI4mFboxXSTcZJvATVgKwRTEkzFzeVen9a5AaZV36NUk9AWXUWFOaAX6jY4fKMQ3Sq6hicdTU4OjX4SvrwX501-pRHzw7b-dXMPwymHqMNwE-eVpiFu827y32eSOulEDWMvg2LMpmsIpks0b7fXcO-V-JvGwDvMsjVRy82406A5zElMjdD6lgBXZy5Hg79AyyVMJOprENkM0DY0evphw3gmq5G7YreJ9EcWIPX7K9skVfukCFxCxqjlHxV6T4aFGwxlZEJywBw_7pg")], null, null, null),
        new Expected("parse_audio_document", 12, "tchantest", new DateTime(2023, 2, 24, 7, 33, 58, DateTimeKind.Utc), "document", 2L, null, false, [], null, null, null),
        new Expected("parse_text_reply_to_video", 20, "tchantest", new DateTime(2023, 2, 24, 7, 38, 31, DateTimeKind.Utc), "text", 2L, null, false, [("thumbnail-reply", "https://cdn1.telegram-cdn.org/file/nWyXAzTHX19MAA8oKaS4tcW-afBU7oOvCpQfVX-Z8l5dVuBeBUDZ5wVn0LRN5OIkwxbDAoSVuJiVm8BPt__9PML4K9rBmVcinjrLUtbNcqhx1WF-JpR_jd5FGQXQStSPYwgYyf460aoQsrVu48r-h4UGyuRLcnNoXytG-siQ_kOxpMArdeZXIQRzNW9eWHfO-IaIx78jqLdhcUaueZjkix91Ak35tPDdloQ7vhzDGqtpJQ1bI6YWVVP0gAm7AQdqcmkoNfFwXjh4uvxEAvsJxdSfMNJ3A1uKhqkm-_fVcbUBgBcJoPIjBBpJx5A3yorSMoMFCvne1QIvFdfjNbGZbg")], 19L, null, null),
        new Expected("parse_poll", 11, "tchantest", new DateTime(2023, 2, 24, 7, 32, 23, DateTimeKind.Utc), "poll", 2L, null, false, [], null, null, null),
        new Expected("parse_photo_single", 16, "tchantest", new DateTime(2023, 2, 24, 7, 35, 28, DateTimeKind.Utc), "photo", 2L, null, false, [("photo", "https://cdn1.telegram-cdn.org/file/AqX5QJmpXiolNyLq3Aq8-4eqTHJtpueMZqcszNrmWGgUt4I4iaH-CPxmqR-QPdgdzVtE_rX8cpCOgeAOsN9Ais72d79W-56VIEOdCenSvm5YuK9nHh-faVhkQAnTnw3DtOobB6G3jbZRDvHdjhlxyojAwvNXWGSyfIzmaEPq9C_ut2VXo5gJk8ZOAUi5OfxIRf7UVSyNyXbfKXZPwDdok7uTLp1gTaLacKNdcHN0Wdo0NCj2phCO_Hhv5zOqvJkC_Ct-3d3vv_aa03gOWTXzGtq1sbrlynldi9zVtWn6TOsNBGzDGSWqcm7WUe1QbddpBeS7VQWqyih2fKmhKLr5wA.jpg")], null, null, null),
        new Expected("parse_message_weird_preview", 7334, "CamaradosDeputados", new DateTime(2022, 11, 9, 22, 43, 54, DateTimeKind.Utc), "text", 1200L, null, true, [("photo", "https://telegram.org/img/emoji/40/E29C8D.png"), ("link", "http://bit.ly/3Tq1C4G"), ("link", "https://t.me/s/CamaradosDeputados?q=%23Puni%C3%A7%C3%A3o_ampliada"), ("link", "http://bit.ly/3PCX1vn"), ("link", "http://bit.ly/3tkdScB"), ("link", "https://t.me/s/CamaradosDeputados?q=%23Poda_de_%C3%A1rvores"), ("link", "http://bit.ly/3A1c4c4"), ("link", "http://bit.ly/3A3EoKS"), ("link", "https://t.me/s/CamaradosDeputados?q=%23Tarifas_de_transmiss%C3%A3o"), ("link", "http://bit.ly/3zWxOpw"), ("link", "https://bit.ly/2UBmLNC")], null, null, null),
        new Expected("parse_video_big", 5343, "some_random_user", new DateTime(2023, 1, 30, 23, 30, 40, DateTimeKind.Utc), "video", 436600L, null, false, [("thumbnail-video", "https://cdn1.telegram-cdn.org/file/HyfobRUDoAxInyfbDVXk1q13pW97NtZN0TYuraxfsJLPps5R14DRXfT1DN2qZkAg4UIpu4RE0frU5LJLK3Y9oWyDgw3Y-Jg92EghLSe0Wmb6dMqCFwoz2CISl_hAeNgDksSQ5i_feURS-NzwXJRHeHwqz1funqsyNkdC5irHPSglylhsf3ZdEZMA4b1XqYrU3Zz4IgT3pLz0HcPSHcxHSyRAGjmb6vFbUYr-qThcvTD7HGXdb6gVRhV3bQyzo8xS9d2Vxho2j735Rxnr5qaprcef883AEuYuDSD31Anok_s6cvOz0jurCG8jbtonkSN9omsub5oyLrvT0H2ZQ4Gx3g")], null, null, null),
        new Expected("parse_video_single", 18, "tchantest", new DateTime(2023, 2, 24, 7, 36, 49, DateTimeKind.Utc), "video", 2L, null, false, [("video", "https://cdn1.telegram-cdn.org/file/61dc623809.mp4?token=K5rf-tYZuK-hwjpm2Aa8NLNZI54LnZSlUftpmFaAjXdqeUtO0xfykZx8zfupPs7TYNYHMTDKJcmfoDs66q2bTsAk0d1kwrwZrArAGYOWBnJmTDualrn2gIQ8_VPKEQccf_k_sGyzGcbsCs9rkdlOTWMUQXOxoKDQ12X2hdnPONoehz0KAR_nH-W0lGKGUuxbUhu8yFVZGuu9JLFSp5dLprKNy9HYAJeh8D7yM3lZ7GmIG3ck5GLdjeYzRFx96sn0NviOl8H7kHcoDOCv_CkppMpXWninC8yboJUsmPISjfwQOiDD9ZOE2wZb7TN0zYSAHDFEy0Ga1msxs6f1j7Wjyw"), ("thumbnail-video", "https://cdn1.telegram-cdn.org/file/WiZBMqAIrM0sjmV7tKxjJQ3BcyP04k0bU3i1_kCI_cipeYNV2EgXyUIZ8Jii-7BMgdpGH9HKFCY8NuzsnvpYToh3PJdSdd4aOwSrYvu8uGQgogharMY-8IjAdcFNQh0stJ7r1-3mjJCT-1SojXo1LOBCt-sX7PI9woHjvqPFDDJyv9-xNbEgwWYMuKUyCA6Z1aKsEAz0wIDzLil4IXze3_neSQRkSlqWUnCGV_JoPy-qQuJd_6do_AnJMaLwlDcFBYAzZ-sX1kJC03qWhtjHUy9uaG9j8z23C_RcSlhWPTYPQi5t0x1HQXRWm-kaASMrghIIg9HFSu4MdCLOb8IgIA")], null, null, null),
        new Expected("parse_video_single_2", 19, "tchantest", new DateTime(2023, 2, 24, 7, 38, 13, DateTimeKind.Utc), "video", 2L, null, false, [("video", "https://cdn1.telegram-cdn.org/file/bd7ceb0b41.mp4?token=FqRn4LGTlVsYQNCiPqd19TF0Z-EK6gWw__1F7os3qthEAdi8kkkrrWeUqJYCrNsv7OF80hlKUHUfKi_9PMsFbg28A8zONLdULTjmt256uaIBQqc3ieY_Js1kg8ezAIi5Y2tab_Z9dycZBrPQjARRoTVwLd9v_QrIQ7il3W1iXipnClgLZK4PxFjFOIhdYmEM_gAhxylo30BdpQFekkk5xCwNNTKmFjeaZTUQ_NNM1k3NGuKQo3SmrHUj4hK1xoKayOZxvB0oJIffTpMkHEBjs_j-tyi72uKmRz7my8ogBY0pHO-2Em5lDh-Li0rDGfHJ_NUssmwGqoToH-el_FZfZWA7juyZs_QNSkWABs0ijiVXDKZPKZKiOVQ0Uh8RtNs4UrNKp91GAVLLCb-C9TpW9SRlgMECG4yKWnXZ7nIsh_nhRNMk-aL0_Lehl0D4bRi1xMkXqtCu5B9pMS7MhIoNbg1sK7_4SJi3YRLugH_jiOGx3HhOP9HtBQZZTBZffb_d3vQQHNfXWEYUwP3t8iBwDrFL0qPwlT_1xMM57S6JlS3ApAEqqYFRxD6YBBFcJr3HMb2rinmL77iwCPtOirSeXFNaG0daSIaUn2jOMoDVH-MwVMBr6Oz_ESOWlqiGtHngUxKxgsbC9UxgvzcXXzHNelvl0z8isMf6oz0QqAntnWA"), ("thumbnail-video", "https://cdn1.telegram-cdn.org/file/nWyXAzTHX19MAA8oKaS4tcW-afBU7oOvCpQfVX-Z8l5dVuBeBUDZ5wVn0LRN5OIkwxbDAoSVuJiVm8BPt__9PML4K9rBmVcinjrLUtbNcqhx1WF-JpR_jd5FGQXQStSPYwgYyf460aoQsrVu48r-h4UGyuRLcnNoXytG-siQ_kOxpMArdeZXIQRzNW9eWHfO-IaIx78jqLdhcUaueZjkix91Ak35tPDdloQ7vhzDGqtpJQ1bI6YWVVP0gAm7AQdqcmkoNfFwXjh4uvxEAvsJxdSfMNJ3A1uKhqkm-_fVcbUBgBcJoPIjBBpJx5A3yorSMoMFCvne1QIvFdfjNbGZbg")], null, null, null),
        new Expected("parse_round_video_single", 17, "tchantest", new DateTime(2023, 2, 24, 7, 35, 45, DateTimeKind.Utc), "round-video", 2L, null, false, [("round-video", "https://cdn1.telegram-cdn.org/file/68145c80a1.mp4?token=Asgm3ihYDp5WkmfxRXtMximu8cGDQy4Y2UIeZ3JmSNpRz-oDSsXbORc8H4V4oaR4LkaIEFfPz82hrRD1Fvu2wNDljkcCVbxwa0D5iD_sfhWKTDK3Hfy1Fu1hQPZG0b4-1rEkNIfRJp8T_H0nW6Rej80Nl8I8xZAINfHAe0ibS6Qs5R4IudWG4ULL3NRmJLzGDM92YlqVlkEzwvLB9au1G0jczynEbJ7qn5npIxQYPPIBzZehLtZHAXqp_cnq6moGUL6mAfK1tOPqN13wVfizhtv2XHy8WqvaEVxZMTWFyMu64nPc1aB1EGsfvdgSdpV-pENMcsH5ihLEbwfCTbQPFw"), ("thumbnail-roundvideo", "https://cdn1.telegram-cdn.org/file/U9Z-cXN1H4Y4JdCGNLPCaw8Y_4idAGdFDGqOMSS20fsGBN0OWrzYo-rtvGIgex8IkoAGGjqz2DduF369l5kY_jGB1zd7NpE9rqgSnB1hhUVFmxWqhP3bzsyTjJRABWJns176vCa_Jn8CEjHFddu39ONkG4Hyqc7wGDA6eOOMFF2pATNxePd-Jg056jTn79In9byN7cKk5Rlkt2hkY02vlaee_eokRInwNRQShvJ59Xdv0gEQV27DpSbjFvc4Ci_66unLiu3aWWA50etg5CbB2nmtSfLSs7ujGBteh5Aw9z0HjB4BVw3eNbZVrDKBUTe_5eFw6XE4RKwRnJ8LL4TPuA")], null, null, null),
        new Expected("parse_photo_multiple", 14, "tchantest", new DateTime(2023, 2, 24, 7, 34, 20, DateTimeKind.Utc), "photo", 2L, null, false, [("photo", "https://cdn1.telegram-cdn.org/file/QMvda1Z9IET0DA4-jsfevuguTxnTpn6omRRA7gfRfYs6VCmxjsZdeX4R6k4n7rYe7skLclk-A1G7Dw4UuYzV5Ogj9KkYlLSsJD2x_WQDRqmUDauUWEAGa-JNACCFBH2zRJeFwb6OvAD6itpb05MbvyMVvsR18sw8Qe4VcPvODZmfKGxQ7ioslSsxTKoLz8KEAIcvPqVLkJKjkPVERS6u8QBSS-ZPOWu6RvJsS0_fS7oCTSfLjTmn3EfGlU3BvRAmNcVCQv7Jz-CPNBgXHUk5Bru05WNpsdaoCVfX9PzeDycLIoHm5S55H_TV9zocKvg_ZX0NVyLE_Em_wO7nbDwDRQ.jpg"), ("photo", "https://cdn1.telegram-cdn.org/file/CrsaR3dLCwSaTunI7l4nSUu5G7du7049yHXuZwbiOjAfSDEMrJaKiJ9-ly6RJOJf7wSYPGjpUppSBuqLkTbMIl_CMEpS_9nVLvNusCJTRXbhJbU4UFsTxiM89YyDE_9bapVEjoS9vhRS7qw1zSCbV2K42W3TZvvQ8scfiI2xiMIsRkw-YzpIVxbkzpeWz3-US6fi7DswlIobEgCG0uxmHdr6q2FEFOn9BCpfQHlrDqq8rCA9kBteMinAEkALObzktjJ76PMFWQZbQCcKIofW9oOThEJRAdFrRaho9PwBOQIcrSf_2MQmyqg8zA79k04ME76FsNNw3xr7xA160MHckA.jpg")], null, null, null),
        new Expected("parse_location_message", 10, "tchantest", new DateTime(2023, 2, 24, 7, 31, 38, DateTimeKind.Utc), "location", 2L, null, false, [("link", "https://maps.google.com/maps?q=-23.930587176407,-44.086305367818&ll=-23.930587176407,-44.086305367818&z=16")], null, null, null),
        new Expected("parse_location_message_2", 83, "tchantest", new DateTime(2023, 2, 24, 11, 1, 22, DateTimeKind.Utc), "location", 1L, null, false, [("link", "https://maps.google.com/maps?q=-23.532363086523,-46.689620092745&ll=-23.532363086523,-46.689620092745&z=16")], null, null, null),
        new Expected("parse_location_message_3", 88, "tchantest", new DateTime(2023, 2, 24, 11, 23, 40, DateTimeKind.Utc), "location", 2L, null, false, [("link", "https://maps.google.com/maps?q=-23.531972140424,-46.689076113848&ll=-23.531972140424,-46.689076113848&z=16")], null, null, null),
        new Expected("parse_audio_message", 13, "tchantest", new DateTime(2023, 2, 24, 7, 34, 5, DateTimeKind.Utc), "audio", 2L, null, false, [("audio", "https://cdn1.telegram-cdn.org/file/29881a3f30.ogg?token=RPh7-yUn9te932hRlzltMAmWTgmmAzD_PswWMJnmCZSfQQ63SfT5jfT_IpSq71gXP0d5F_G3fZLc1mxLuPR_NFSBVncAk7hvT5086hIQJfHX8qoE8VW-714sWoGTqVv6l35yS7V8_hCkt4KD2kW3F_5K2MPJ6yKPHBB4VzvlLmrwUoVVTPPOl2NJypUtDdN2fwFj7TkeZYHu0jrtKGrynmmBOp36SHpks7c9bkkL8HcaHhlzZXCBzibbWh0IM895baESbOimQrxnUwuTE9gv_VHGa_EMiwBD71p_NyHYPfpgNxGi1TPCVzJSO5QVPXDBZ3MSHoYI4COLZMt_4wwx1A")], null, null, null),
        new Expected("parse_signed_edited_text_message", 5, "tchantest", new DateTime(2023, 2, 24, 7, 29, 57, DateTimeKind.Utc), "text", 2L, "Álvaro Justen", true, [], null, null, null),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_each_fragment_as_tchan_expects(Expected expected)
    {
        var result = TelegramPages.Parse($"tchan/{expected.File}.html", $"https://t.me/s/{expected.Channel}");

        Assert.Empty(result.Problems);
        var post = Assert.Single(result.Posts);
        Assert.Equal($"{expected.Channel}/{expected.Id}", post.NativeId);
        Assert.Equal($"https://t.me/{expected.Channel}/{expected.Id}", post.Url);
        Assert.Equal(expected.Channel, post.Channel);
        Assert.Equal(expected.CreatedAt, post.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, post.CreatedAt!.Value.Kind);
        Assert.Equal(expected.TchanType, TchanType(post));
        Assert.Equal(expected.Views, post.Views);
        Assert.Equal(expected.Author, post.Extra.GetValueOrDefault("signature"));
        Assert.Equal(expected.Edited, post.Extra.GetValueOrDefault("edited") == "true");
        Assert.Equal(expected.ReplyToId is { } r ? $"{expected.Channel}/{r}" : null, post.ReplyTo);
        Assert.Equal(expected.ForwardedAuthor, post.ForwardedFrom);
        Assert.Equal(expected.ForwardedUrl, post.ForwardedUrl);
        var wanted = expected.Urls
            .Where(u => !u.Url.StartsWith("https://telegram.org/img/emoji/", StringComparison.Ordinal))
            .Where(u => !u.Url.Contains("?q=%23", StringComparison.Ordinal))
            .Select(u => $"{u.Kind} {u.Url}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(wanted, TchanUrls(post).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>tchan's message type from the post (see the class comment for the renamed kinds).</summary>
    private static string TchanType(Post post) => post.Extra["type"] switch
    {
        "voice" => "audio",
        "audio" => "document",
        "round_video" => "round-video",
        var type => type,
    };

    /// <summary>tchan's (kind, url) list from the post: media files, thumbnails, links and the location link.</summary>
    private static IEnumerable<string> TchanUrls(Post post)
    {
        foreach (var media in post.Media)
        {
            if (media.Url is null) continue;
            var kind = media.Kind switch
            {
                "photo" or "sticker" => "photo",
                "video" when media.Description != "link_preview" => "video",
                "round_video" => "round-video",
                "voice" => "audio",
                "thumbnail" => "thumbnail-" + (media.Description == "round_video" ? "roundvideo" : media.Description),
                _ => null,
            };
            if (kind is not null) yield return $"{kind} {media.Url}";
        }
        foreach (var link in post.Links) yield return $"link {link}";
        if (post.Extra.TryGetValue("location_url", out var location)) yield return $"link {location}";
    }
}
